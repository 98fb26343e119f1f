using System.Globalization;
using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Households;
using Ensemble.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Access;

/// <summary>
/// Enforces each endpoint's <see cref="AccessAttribute"/> for pages and API alike, after authentication.
/// An endpoint that states no access is refused: deny by default.
/// </summary>
internal sealed class AccessMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, CurrentCaller callers, EnsembleDb db, NodaTime.IClock clock)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            await next(context);
            return;
        }

        var rule = endpoint.Metadata.GetMetadata<AccessAttribute>();
        if (rule?.Kind == AccessKind.Anonymous)
        {
            await next(context);
            return;
        }

        var cancellationToken = context.RequestAborted;
        var caller = rule is null ? null : await callers.GetAsync(cancellationToken);
        var verdict = rule is null
            ? Verdict.Forbidden("This endpoint states no access rule, so nobody may use it.")
            : caller is null
                ? Verdict.Unauthenticated
                : await DecideAsync(rule.Kind, caller, context, db, clock, cancellationToken);
        if (verdict.Status == StatusCodes.Status200OK)
        {
            await next(context);
            return;
        }

        if (verdict.Status == StatusCodes.Status401Unauthorized && !IsApi(context))
        {
            context.Response.Redirect("/sign-in?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
            return;
        }

        context.Response.StatusCode = verdict.Status;
        if (IsApi(context))
        {
            await Results.Problem(detail: verdict.Message, statusCode: verdict.Status).ExecuteAsync(context);
        }
        else
        {
            context.Items[ErrorPage.MessageKey] = verdict.Message;
            await ErrorPage.WriteAsync(context, verdict.Status, verdict.Message);
        }
    }

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static async Task<Verdict> DecideAsync(AccessKind kind, Caller caller, HttpContext context, EnsembleDb db, NodaTime.IClock clock, CancellationToken cancellationToken)
    {
        var access = new HouseholdAccess(db);
        switch (kind)
        {
            case AccessKind.AnyStaff:
                return Verdict.Allowed;
            case AccessKind.ManagePractice:
                return caller.SeesWholeFirm ? Verdict.Allowed : Verdict.Forbidden("Only roles that see the whole firm (principal, compliance) may do this.");
            case AccessKind.Household:
            {
                var key = context.GetRouteValue("key") as string;
                var household = key is null ? null : await new HouseholdDirectory(db, clock).IdOfAsync(key, cancellationToken);
                if (household is not { } id)
                {
                    return Verdict.NotFound($"There is no household {key}.");
                }

                HouseholdRoute.Remember(context, id);
                return await access.CanSeeAsync(caller, id, cancellationToken) ? Verdict.Allowed : Verdict.Forbidden($"You are not on the service team of household {key}.");
            }

            case AccessKind.Task:
            {
                if (!TryId(context, out var id))
                {
                    return Verdict.NotFound("There is no such task.");
                }

                var task = await TaskOwner.FindAsync(db, new TaskId(id), cancellationToken);
                if (task is null)
                {
                    return Verdict.NotFound($"There is no task {id}.");
                }

                return await access.CanSeeTaskAsync(caller, task, cancellationToken) ? Verdict.Allowed : Verdict.Forbidden($"Task {id} belongs to a household whose team you are not on.");
            }

            case AccessKind.TaskTransition:
                return TryId(context, out _) ? Verdict.Allowed : Verdict.NotFound("There is no such task.");

            case AccessKind.Process:
            {
                if (!TryId(context, out var id))
                {
                    return Verdict.NotFound("There is no such process.");
                }

                var instance = await db.Instances.AsNoTracking().Where(i => i.Id == new InstanceId(id)).Select(i => new { i.HouseholdId }).SingleOrDefaultAsync(cancellationToken);
                if (instance is null)
                {
                    return Verdict.NotFound($"There is no process {id}.");
                }

                var visible = instance.HouseholdId is { } household ? await access.CanSeeAsync(caller, household, cancellationToken) : true;
                return visible ? Verdict.Allowed : Verdict.Forbidden($"Process {id} belongs to a household whose team you are not on.");
            }

            default:
                return Verdict.Forbidden("Unknown access rule.");
        }
    }

    private static bool TryId(HttpContext context, out long id)
    {
        id = 0;
        return context.GetRouteValue("id") is string text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }

    private readonly record struct Verdict(int Status, string? Message)
    {
        public static Verdict Allowed => new(StatusCodes.Status200OK, null);

        public static Verdict Unauthenticated => new(StatusCodes.Status401Unauthorized, "Sign in first.");

        public static Verdict Forbidden(string message) => new(StatusCodes.Status403Forbidden, message);

        public static Verdict NotFound(string message) => new(StatusCodes.Status404NotFound, message);
    }
}
