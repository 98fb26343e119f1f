using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Ensemble.Web.Access;

/// <summary>
/// Integrations call the API with <c>Authorization: Bearer ens_…</c>. The token is looked up by its
/// SHA-256 hash; revoked tokens and departed staff are refused.
/// </summary>
internal sealed class ApiTokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, EnsembleDb db, IMemoryCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string Prefix = ApiTokenSecrets.Prefix;

    public static bool Carries(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail("Not an Ensemble API token.");
        }

        // Integrations call in bursts: a token found is remembered for a few seconds on this node. Revoking
        // forgets it here at once (see TokensApi); other nodes stop accepting it within CurrentCaller.Freshness.
        var hash = ApiTokenSecrets.HashOf(token);
        var found = await cache.GetOrCreateAsync(CacheKey(hash), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CurrentCaller.Freshness;
            return db.ApiTokens.AsNoTracking()
                .Where(t => t.Hash == hash && t.RevokedAt == null)
                .Join(db.Staff.Where(s => s.Active), t => t.StaffId, s => s.Id, (t, s) => new TokenHolder(t.StaffId, s.Handle))
                .SingleOrDefaultAsync(Context.RequestAborted);
        });
        if (found is null)
        {
            return AuthenticateResult.Fail("The API token is unknown or revoked.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, found.Handle), new Claim(StaffClaims.StaffId, found.StaffId.Value.ToString(CultureInfo.InvariantCulture))], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    public static string CacheKey(string hash) => "token:" + hash;

    private sealed record TokenHolder(Ensemble.Common.StaffId StaffId, string Handle);
}
