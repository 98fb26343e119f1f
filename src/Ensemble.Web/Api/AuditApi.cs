using Ensemble.Storage;
using Ensemble.Storage.Audit;
using Ensemble.Web.Access;

namespace Ensemble.Web.Api;

/// <summary>The audit trail, for those who answer for the firm.</summary>
internal static class AuditApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit");
        audit.MapGet("/", Recent).Allow(AccessKind.ManagePractice).WithSummary("The latest audit events, optionally for one entity.");
        audit.MapGet("/verify", Verify).Allow(AccessKind.ManagePractice).WithSummary("Walk the hash chain and name the first bad event.");
    }

    private static async Task<IResult> Recent(string? entityType, string? entityId, int? limit, EnsembleDb db, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, 0, out var take, out _) is { } invalid)
        {
            return invalid;
        }

        return Results.Ok(await new AuditTrail(db).RecentAsync(null, entityType, entityId, take, cancellationToken));
    }

    private static async Task<IResult> Verify(EnsembleDb db, CancellationToken cancellationToken) =>
        Results.Ok(await new AuditTrail(db).VerifyAsync(cancellationToken));
}
