using System.Net;
using System.Net.Http.Json;
using Ensemble.Practice;

namespace Ensemble.Web.Tests.Testing;

/// <summary>
/// In the demo firm every paraplanner, coordinator, associate and associate advisor is on every household's
/// team as holder or backup, so nobody has a household that is not theirs. This one is added (through the API,
/// as the principal) with a team of other people and a trade request under way, so the access tests have a
/// household that is foreign to tom, grace, leo and hannah.
/// </summary>
public static class ForeignHousehold
{
    public const string Key = "HH-9901";

    /// <summary>Who holds each role, and the backups: none of them is one of the people the access walk plays.</summary>
    private static readonly (string Role, string Holder, string[] Backups)[] Team =
    [
        (RoleKeys.WealthPartner, "priya", ["david"]),
        (RoleKeys.FinancialAdvisor, "david", ["priya"]),
        (RoleKeys.Paraplanner, "aisha", ["jonas"]),
        (RoleKeys.ClientCareCoordinator, "sam", ["nina"]),
        (RoleKeys.ClientServiceAssociate, "nina", ["sam"]),
        (RoleKeys.AssociateAdvisor, "omar", ["ruth"]),
    ];

    public static async Task CreateAsync(EnsembleApp app)
    {
        using var elena = await app.ClientAsAsync("elena");
        await elena.PostAsJsonAsync("/api/households", new { key = Key, name = "The Outsider Household", stage = "Client" }).ExpectAsync(HttpStatusCode.Created);
        foreach (var (role, holder, backups) in Team)
        {
            await elena.PutAsJsonAsync($"/api/households/{Key}/team/{role}", new { holder, backups }).ExpectAsync(HttpStatusCode.OK);
        }

        await elena.PostAsJsonAsync($"/api/households/{Key}/processes", new { template = "trade-request" }).ExpectAsync(HttpStatusCode.Created);
    }
}
