using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Web.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>API tokens: each person issues and revokes their own; a token acts with its owner's access.</summary>
internal static class TokensApi
{
    public sealed record IssueRequest(string? Name);

    public sealed record Issued(long Id, string Name, string Token);

    public sealed record TokenLine(long Id, string Name, Instant CreatedAt, Instant? RevokedAt);

    public static void Map(RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("Tokens");
        tokens.MapGet("/", List).Allow(AccessKind.AnyStaff).WithSummary("My API tokens.");
        tokens.MapPost("/", Issue).Allow(AccessKind.AnyStaff).WithSummary("Issue a token; it is shown only in this answer.");
        tokens.MapDelete("/{id:long}", Revoke).Allow(AccessKind.AnyStaff).WithSummary("Revoke one of my tokens.");
    }

    private static async Task<IResult> List(CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.StaffId == caller.StaffId).OrderBy(t => t.Id)
            .Select(t => new TokenLine(t.Id, t.Name, t.CreatedAt, t.RevokedAt)).ToListAsync(cancellationToken);
        return Results.Ok(tokens);
    }

    private static async Task<IResult> Issue(IssueRequest? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.Name) || body.Name.Length > 120)
        {
            return Problems.Invalid(("name", "Name the token (1 to 120 characters), e.g. the integration that uses it."));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var token = ApiTokenSecrets.NewToken();
        var row = new ApiToken { StaffId = caller.StaffId, Name = body.Name.Trim(), Hash = ApiTokenSecrets.HashOf(token), CreatedAt = clock.GetCurrentInstant() };
        db.Actor = caller.Handle;
        db.Operation = "issue-api-token";
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Created($"/api/tokens/{row.Id}", new Issued(row.Id, row.Name, token));
    }

    private static async Task<IResult> Revoke(long id, CurrentCaller callers, EnsembleDb db, IClock clock, IMemoryCache cache, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var row = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id && t.StaffId == caller.StaffId, cancellationToken);
        if (row is null)
        {
            return Results.NotFound();
        }

        db.Actor = caller.Handle;
        db.Operation = "revoke-api-token";
        row.RevokedAt ??= clock.GetCurrentInstant();
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(ApiTokenAuthentication.CacheKey(row.Hash));
        return Results.NoContent();
    }
}
