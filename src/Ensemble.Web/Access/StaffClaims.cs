using System.Globalization;
using System.Security.Claims;
using Ensemble.Common;
using Ensemble.Storage.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Ensemble.Web.Access;

/// <summary>The claims a signed-in session carries: which staff member it is. Access itself is decided per request from the database.</summary>
internal static class StaffClaims
{
    public const string StaffId = "ensemble:staff";

    public static StaffId? Of(ClaimsPrincipal user) =>
        user.FindFirst(StaffId)?.Value is { } value && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? new StaffId(id)
            : null;
}

/// <summary>Adds the staff claim to the principal Identity builds at sign-in.</summary>
internal sealed class StaffClaimsFactory(UserManager<UserAccount> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<UserAccount>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(UserAccount user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(StaffClaims.StaffId, user.StaffId.Value.ToString(CultureInfo.InvariantCulture)));
        return identity;
    }
}
