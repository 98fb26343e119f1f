using System.Globalization;
using Ensemble.Common;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Capacity;
using Ensemble.Storage;
using Ensemble.Storage.ServiceModel.Capacity;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.Capacity;

/// <summary>
/// Where the team is stretched: hours needed per role and per person each month against their hours,
/// and a what-if that shows the change in hours from moving households between tiers. Read-only, so
/// every form is a GET and a result can be bookmarked or shared.
/// </summary>
[Access(AccessKind.ManagePractice)]
public sealed class IndexModel(EnsembleDb db, IClock clock) : PageModel
{
    public static readonly string[] MonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static readonly string[] TierChoices = ["A", "B", "C", "Unsegmented"];

    public CapacityPlan? Plan { get; private set; }

    public WhatIfResult? WhatIf { get; private set; }

    /// <summary>What went wrong, by field (year, hoursPerDay, count, from, to, households).</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public int? Year { get; private set; }

    public double? HoursPerDay { get; private set; }

    public int? Count { get; private set; }

    public string From { get; private set; } = "B";

    public string To { get; private set; } = "A";

    public string? Households { get; private set; }

    public string? Move { get; private set; }

    public async Task OnGetAsync(int? year, double? hoursPerDay, string? move, int? count, string? from, string? to, string? households, CancellationToken cancellationToken)
    {
        Year = year;
        HoursPerDay = hoursPerDay;
        Move = move;
        Count = count;
        From = from ?? From;
        To = to ?? To;
        Households = households;

        var options = CapacityOptions.Create(hoursPerDay);
        if (!options.IsSuccess)
        {
            Note(options.Error!);
            options = new CapacityOptions();
        }

        var request = move switch
        {
            "closest" => Closest(),
            "named" => Named(),
            _ => null,
        };

        var model = await new CapacityPlanner(db, clock).ModelAsync(year, options.Value, request, cancellationToken);
        if (!model.IsSuccess)
        {
            Note(model.Error!);
            return;
        }

        Plan = model.Value.Plan();
        Year = Plan.Year;
        if (request is not null && Errors.Count == 0)
        {
            var result = model.Value.WhatIf(request);
            if (result.IsSuccess)
            {
                WhatIf = result.Value;
            }
            else
            {
                Note(result.Error!);
            }
        }
    }

    private WhatIf? Closest()
    {
        var fromTier = WhatIfText.Tier(From, "from");
        var toTier = WhatIfText.Tier(To, "to");
        if (Count is not { } n || n < 1)
        {
            Errors["count"] = "How many households to move: a whole number, 1 or more.";
        }

        foreach (var error in new[] { fromTier.Error, toTier.Error }.OfType<Error>())
        {
            Note(error);
        }

        return Errors.Count == 0 ? new MoveClosest(Count!.Value, fromTier.Value, toTier.Value) : null;
    }

    private WhatIf? Named()
    {
        var keys = (Households ?? "").Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var toTier = WhatIfText.Tier(To, "to");
        if (!toTier.IsSuccess)
        {
            Note(toTier.Error!);
            return null;
        }

        return new MoveHouseholds(keys, toTier.Value);
    }

    /// <summary>Capacity errors start with the field they concern ("count: …").</summary>
    private void Note(Error error)
    {
        var colon = error.Message.IndexOf(':', StringComparison.Ordinal);
        var field = colon > 0 && !error.Message[..colon].Contains(' ', StringComparison.Ordinal) ? error.Message[..colon] : "request";
        Errors[field] = colon > 0 && field != "request" ? error.Message[(colon + 1)..].Trim() : error.Message;
    }

    public string? ErrorFor(string field) => Errors.GetValueOrDefault(field);

    public static string H(double hours) => hours.ToString("#,0.#", CultureInfo.InvariantCulture);

    public static string Signed(double hours) => (hours > 0 ? "+" : "") + hours.ToString("#,0.##", CultureInfo.InvariantCulture);

    public static string CssClass(Load load) => load.Flag switch
    {
        LoadFlag.Over => "cap-over",
        LoadFlag.Stretched => "cap-stretched",
        _ => load.Needed == 0 ? "cap-idle" : "cap-ok",
    };

    /// <summary>Utilisation as text, e.g. "112 %"; a dash when there is neither work nor anyone to do it.</summary>
    public static string Utilisation(Load load) =>
        load.Needed == 0 && load.Available == 0 ? "–" : load.Utilisation is { } u ? (u * 100).ToString("0", CultureInfo.InvariantCulture) + " %" : "no one";

    public static string MonthsThatChange(IReadOnlyList<LoadChange> months)
    {
        if (months.All(c => c.Change != 0 && c.Change == months[0].Change))
        {
            return "every month " + Signed(months[0].Change) + " h";
        }

        return string.Join(", ", months.Where(c => c.Change != 0).Select(c => $"{MonthNames[c.Month!.Value - 1]} {Signed(c.Change)}"));
    }

    public static string TierName(ServiceTier tier) => tier == ServiceTier.Unsegmented ? "Unsegmented" : tier.ToString();
}
