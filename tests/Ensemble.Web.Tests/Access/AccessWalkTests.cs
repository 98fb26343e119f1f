using System.Net;
using System.Text;
using Ensemble.Storage;
using Ensemble.Web.Access;
using Ensemble.Web.Tests.Testing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Ensemble.Web.Tests.Access;

/// <summary>
/// Calls every API endpoint, with every method it answers, as people in different roles, aimed at a household
/// of theirs and at one that is not: what each may reach follows from the endpoint's stated access alone.
/// All findings are gathered and reported together.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class AccessWalkTests(WebApps apps)
{
    /// <summary>The principal (sees the whole firm), a paraplanner, a client care coordinator, a CSA and an associate advisor.</summary>
    private static readonly (string Handle, bool SeesWholeFirm)[] People =
        [("elena", true), ("tom", false), ("grace", false), ("leo", false), ("hannah", false)];

    [Theory, OnSqlite, OnPostgres]
    public async Task EveryEndpointAsEveryRoleAgainstOwnAndForeignHousehold(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var endpoints = MappedEndpoint.All(app).Where(e => e.IsApi).ToList();
        Assert.All([AccessKind.Household, AccessKind.Task, AccessKind.TaskTransition, AccessKind.Process, AccessKind.ManagePractice, AccessKind.AnyStaff],
            kind => Assert.Contains(endpoints, e => e.Access == kind));
        var findings = new List<string>();

        using (var anonymous = app.Client())
        {
            var target = await TargetAsync(app, "tom", await app.HouseholdOnTeamOfAsync("tom"));
            foreach (var (endpoint, method) in Calls(endpoints.Where(e => e.Access != AccessKind.Anonymous)))
            {
                var (status, _) = await CallAsync(anonymous, method, endpoint, target);
                if (status != HttpStatusCode.Unauthorized)
                {
                    findings.Add($"anonymous {method} {endpoint.Route}: {(int)status}, expected 401");
                }
            }
        }

        foreach (var (handle, wholeFirm) in People)
        {
            using var client = await app.ClientAsAsync(handle);
            foreach (var (household, foreign) in new[] { (await app.HouseholdOnTeamOfAsync(handle), false), (ForeignHousehold.Key, true) })
            {
                var target = await TargetAsync(app, handle, household);
                foreach (var (endpoint, method) in Calls(endpoints))
                {
                    var (status, body) = await CallAsync(client, method, endpoint, target);
                    if (Judge(endpoint.Access, status, wholeFirm, foreign) is { } wrong)
                    {
                        findings.Add($"{handle} {method} {endpoint.Route} on {(foreign ? "foreign" : "own")} household {household}: {(int)status}, {wrong}{body}");
                    }
                }
            }
        }

        Assert.True(findings.Count == 0, $"{findings.Count} access findings:\n  " + string.Join("\n  ", findings));
    }

    private static string? Judge(AccessKind? access, HttpStatusCode status, bool wholeFirm, bool foreign)
    {
        var code = (int)status;
        if (code >= 500)
        {
            return "a server error";
        }

        var refused = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
        return access switch
        {
            AccessKind.Household or AccessKind.Task or AccessKind.TaskTransition or AccessKind.Process when foreign && !wholeFirm =>
                status == HttpStatusCode.Forbidden ? null : "expected 403 for a household not on their team",
            AccessKind.ManagePractice when !wholeFirm =>
                status == HttpStatusCode.Forbidden ? null : "expected 403 for practice management",
            null => "the endpoint states no access rule",
            _ => refused ? "refused a caller the rule lets in" : null,
        };
    }

    private static IEnumerable<(MappedEndpoint Endpoint, string Method)> Calls(IEnumerable<MappedEndpoint> endpoints) =>
        endpoints.SelectMany(e => e.Methods.Select(m => (e, m)));

    /// <summary>The status, and for a server error the start of what it said (the exception, in Development).</summary>
    private static async Task<(HttpStatusCode Status, string Detail)> CallAsync(HttpClient client, string method, MappedEndpoint endpoint, Target target)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), endpoint.Path(p => target.Fill(endpoint, p)));
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        if ((int)response.StatusCode < 500)
        {
            return (response.StatusCode, "");
        }

        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, "\n      " + text[..Math.Min(text.Length, 400)].ReplaceLineEndings(" "));
    }

    private static async Task<Target> TargetAsync(EnsembleApp app, string handle, string household) =>
        new(handle, household, await app.TaskInAsync(household), await app.ProcessInAsync(household));

    /// <summary>What the route parameters are filled with for one caller and household.</summary>
    private sealed record Target(string Handle, string Household, long Task, long Process)
    {
        /// <summary>A template every firm has (the built-in library).</summary>
        private const string Template = "trade-request";

        public string Fill(MappedEndpoint endpoint, RoutePatternParameterPart parameter) => parameter.Name switch
        {
            "key" when endpoint.Route.StartsWith("/api/templates", StringComparison.Ordinal) => Template,
            "key" => Household,
            "id" when endpoint.Access is AccessKind.Task or AccessKind.TaskTransition => Task.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "id" when endpoint.Access == AccessKind.Process => Process.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "id" => FirmQueries.Missing.ToString(System.Globalization.CultureInfo.InvariantCulture),

            // Their own handle and a role the principal already holds: granting it changes nobody's access.
            "handle" => Handle,
            "role" => Ensemble.Practice.RoleKeys.Principal,
            "documentName" => "v1",
            _ => parameter.IsOptional || parameter.IsCatchAll ? "" : "x",
        };
    }
}
