using Ensemble.Common;
using Ensemble.ServiceModel.Capacity;
using Ensemble.Storage;
using Ensemble.Storage.ServiceModel.Capacity;
using Ensemble.Web.Access;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>Capacity planning: hours needed per role and per person each month against the hours available, and what-ifs.</summary>
internal static class CapacityApi
{
    /// <summary>
    /// A what-if: name households to move (<c>households</c>), or move the <c>count</c> households of tier
    /// <c>from</c> closest to the new tier; either way into tier <c>to</c> (A, B, C or Unsegmented).
    /// </summary>
    public sealed record WhatIfRequest(int? Year, double? HoursPerDay, IReadOnlyList<string>? Households, int? Count, string? From, string? To);

    public static void Map(RouteGroupBuilder api)
    {
        var capacity = api.MapGroup("/capacity").WithTags("Capacity");
        capacity.MapGet("/", Plan).Allow(AccessKind.ManagePractice)
            .WithSummary("Hours needed per role and per person each month of a year (default this year) against hours available, with over-capacity (>100 %), stretched (>85 %) and fewer-than-three-holders flags.");
        capacity.MapPost("/what-if", WhatIf).Allow(AccessKind.ManagePractice)
            .WithSummary("The change in hours per role and person if households moved tier: named ones ({households, to}) or the N closest ({count, from, to}).");
    }

    private static async Task<IResult> Plan(int? year, double? hoursPerDay, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var options = CapacityOptions.Create(hoursPerDay);
        if (!options.IsSuccess)
        {
            return Invalid(options.Error!);
        }

        var plan = await new CapacityPlanner(db, clock).PlanAsync(year, options.Value, cancellationToken);
        return plan.IsSuccess ? Results.Ok(plan.Value) : Invalid(plan.Error!);
    }

    private static async Task<IResult> WhatIf(WhatIfRequest? body, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var errors = new List<(string, string)>();
        var options = CapacityOptions.Create(body?.HoursPerDay);
        if (!options.IsSuccess)
        {
            errors.Add(Field(options.Error!));
        }

        var to = WhatIfText.Tier(body?.To, "to");
        if (!to.IsSuccess)
        {
            errors.Add(Field(to.Error!));
        }

        var named = body?.Households is { Count: > 0 };
        var closest = body?.Count is not null || body?.From is not null;
        WhatIf? request = null;
        if (named && closest)
        {
            errors.Add(("households", "Name households, or give count and from — not both."));
        }
        else if (named)
        {
            request = new MoveHouseholds(body!.Households!, to.IsSuccess ? to.Value : default);
        }
        else if (closest)
        {
            var from = WhatIfText.Tier(body?.From, "from");
            if (!from.IsSuccess)
            {
                errors.Add(Field(from.Error!));
            }

            if (body?.Count is not { } count)
            {
                errors.Add(("count", "How many households to move, e.g. 20."));
            }
            else if (from.IsSuccess)
            {
                request = new MoveClosest(count, from.Value, to.IsSuccess ? to.Value : default);
            }
        }
        else
        {
            errors.Add(("households", "Name the households to move (their keys), or give count and from to move the closest ones."));
        }

        if (errors.Count > 0 || request is null)
        {
            return Problems.Invalid([.. errors]);
        }

        var result = await new CapacityPlanner(db, clock).WhatIfAsync(body!.Year, options.Value, request, cancellationToken);
        return result.IsSuccess ? Results.Ok(result.Value) : Invalid(result.Error!);
    }

    /// <summary>Capacity errors start with the field they are about ("year: …"); that becomes the field of the problem.</summary>
    private static (string Field, string Message) Field(Error error)
    {
        var colon = error.Message.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && !error.Message[..colon].Contains(' ', StringComparison.Ordinal)
            ? (error.Message[..colon], error.Message[(colon + 1)..].Trim())
            : ("request", error.Message);
    }

    private static IResult Invalid(Error error) => error.Kind == ErrorKind.Invalid ? Problems.Invalid(Field(error)) : Problems.From(error);
}
