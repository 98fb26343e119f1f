using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Tests.Communications.Campaigns;

/// <summary>Campaigns over HTTP: template problems with their place, compliance approval, If-Match, sending once, who sees what.</summary>
[Collection(WebAppCollection.Name)]
public sealed class CampaignsApiTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task ATemplateWithAnUnknownFieldOrASyntaxError_IsSavedAsADraftWithTheProblemsAtLineAndColumn_AndCannotBeSubmitted(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var tag = await HouseholdsAsync(app, 1);
        using var tom = await app.ClientAsAsync("tom");

        var created = await tom.PostAsJsonAsync("/api/campaigns", Letter(tag, body: "Dear {{ person.first_name }},\n\nFrom {{ advisor.nme }}")).ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        var problem = Assert.Single(created.GetProperty("problems").EnumerateArray());
        Assert.Equal(("body", 3, 9), (problem.GetProperty("field").GetString(), problem.GetProperty("line").GetInt32(), problem.GetProperty("column").GetInt32()));
        Assert.Contains("Did you mean advisor.name?", problem.GetProperty("message").GetString(), StringComparison.Ordinal);

        var refused = await (await tom.PostAsync($"/api/campaigns/{id}/submit", null)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("3:9: Unknown merge field \"advisor.nme\"", refused.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);

        var broken = await (await tom.PutAsJsonAsync($"/api/campaigns/{id}", Letter(tag, body: "Dear {{ person.first_name }},\n\n{% if person.email %}\nWe will email you.\n"))).ExpectAsync(HttpStatusCode.OK);
        var syntax = Assert.Single(broken.GetProperty("problems").EnumerateArray());
        Assert.Equal(("body", 4), (syntax.GetProperty("field").GetString(), syntax.GetProperty("line").GetInt32()));
        Assert.Contains("endif", syntax.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("draft", broken.GetProperty("status").GetString());

        var missingFields = await (await tom.PostAsJsonAsync("/api/campaigns", new { name = "", kind = "postcard", subject = "", body = "", tiers = new[] { "Z" } })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["body", "kind", "name", "subject", "tiers"], missingFields.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ACampaign_IsApprovedByComplianceOnly_NotByItsAuthor_ThenSentOncePerHousehold_AndItsDeliveryIsListed(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var tag = await HouseholdsAsync(app, 3, doNotContact: 3);
        using var tom = await app.ClientAsAsync("tom");
        using var elena = await app.ClientAsAsync("elena");
        using var david = await app.ClientAsAsync("david");
        using var omar = await app.ClientAsAsync("omar");

        using var creating = await omar.PostAsJsonAsync("/api/campaigns", Letter(tag));
        var id = (await creating.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var audience = await omar.GetAsync($"/api/campaigns/{id}/audience").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((3, 2, 1), (audience.GetProperty("audience").GetInt32(), audience.GetProperty("deliverable").GetInt32(), audience.GetProperty("doNotContact").GetInt32()));
        await omar.PostAsync($"/api/campaigns/{id}/submit", null).ExpectAsync(HttpStatusCode.OK);

        await (await tom.PostAsJsonAsync($"/api/campaigns/{id}/review", new { decision = "approve" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await omar.PostAsJsonAsync($"/api/campaigns/{id}/review", new { decision = "approve" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await david.PostAsJsonAsync($"/api/campaigns/{id}/review", new { decision = "approve" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await tom.PostAsync($"/api/campaigns/{id}/send", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        var rejected = await (await elena.PostAsJsonAsync($"/api/campaigns/{id}/review", new { decision = "reject" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(rejected.GetProperty("errors").TryGetProperty("comment", out _));

        using var approving = await elena.PostAsJsonAsync($"/api/campaigns/{id}/review", new { decision = "approve", comment = "Matches the filed brochure." });
        var approved = await approving.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("approved", "elena"), (approved.GetProperty("status").GetString(), approved.GetProperty("approval").GetProperty("by").GetString()));

        var sent = await tom.PostAsync($"/api/campaigns/{id}/send", null).ExpectAsync(HttpStatusCode.OK);
        var again = await tom.PostAsync($"/api/campaigns/{id}/send", null).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((2, 1), (sent.GetProperty("report").GetProperty("queued").GetInt32(), sent.GetProperty("report").GetProperty("doNotContact").GetInt32()));
        Assert.Equal((0, 2), (again.GetProperty("report").GetProperty("queued").GetInt32(), again.GetProperty("report").GetProperty("alreadyQueued").GetInt32()));

        var delivery = await elena.GetAsync($"/api/campaigns/{id}/recipients").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((2, 2), (delivery.GetProperty("counts").GetProperty("total").GetInt32(), delivery.GetProperty("counts").GetProperty("queued").GetInt32()));
        Assert.Equal(2, delivery.GetProperty("recipients").GetProperty("items").GetArrayLength());
        var tomSees = await tom.GetAsync($"/api/campaigns/{id}/recipients").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal($"{tag}-1", Assert.Single(tomSees.GetProperty("recipients").GetProperty("items").EnumerateArray()).GetProperty("householdKey").GetString());

        await using var db = app.OpenDb();
        var kinds = await db.Outbox.AsNoTracking().Where(m => m.CampaignId == id).Select(m => m.Kind).ToListAsync();
        Assert.Equal(["form-adv", "form-adv"], kinds);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ChangingAnApprovedCampaign_WithAStaleETag_Is412_AndWithTheCurrentOne_VoidsTheApproval(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var tag = await HouseholdsAsync(app, 1);
        using var tom = await app.ClientAsAsync("tom");
        using var omar = await app.ClientAsAsync("omar");
        using var creating = await tom.PostAsJsonAsync("/api/campaigns", Letter(tag));
        var id = (await creating.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var stale = creating.Headers.ETag!.ToString();
        await tom.PostAsync($"/api/campaigns/{id}/submit", null).ExpectAsync(HttpStatusCode.OK);
        using var approving = await omar.PostAsJsonAsync($"/api/campaigns/{id}/review", new { decision = "approve" });
        await approving.ExpectAsync(HttpStatusCode.OK);
        var current = approving.Headers.ETag!.ToString();

        using var old = new HttpRequestMessage(HttpMethod.Put, $"/api/campaigns/{id}") { Content = JsonContent.Create(Letter(tag, body: "Changed after approval, {{ person.first_name }}.")) };
        old.Headers.TryAddWithoutValidation("If-Match", stale);
        await (await tom.SendAsync(old)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        using var fresh = new HttpRequestMessage(HttpMethod.Put, $"/api/campaigns/{id}") { Content = JsonContent.Create(Letter(tag, body: "Changed after approval, {{ person.first_name }}.")) };
        fresh.Headers.TryAddWithoutValidation("If-Match", current);
        var changed = await (await tom.SendAsync(fresh)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("draft", changed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, changed.GetProperty("approval").ValueKind);
        Assert.Equal(["submitted", "approved", "voided"], changed.GetProperty("reviews").EnumerateArray().Select(r => r.GetProperty("action").GetString()).ToList());
        await (await tom.PostAsync($"/api/campaigns/{id}/send", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task APreview_RendersForAHouseholdOfMine_EncodingNamesInHtml_AndIsForbiddenForAForeignOne(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var tag = await HouseholdsAsync(app, 2, firstName: "Zoë", lastName: "O'Brien & Co");
        using var tom = await app.ClientAsAsync("tom");
        var id = (await tom.PostAsJsonAsync("/api/campaigns", Letter(tag)).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();

        var preview = await tom.GetAsync($"/api/campaigns/{id}/preview/{tag}-1").ExpectAsync(HttpStatusCode.OK);
        await (await tom.GetAsync($"/api/campaigns/{id}/preview/{tag}-2")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("Your Form ADV brochure, Zoë", preview.GetProperty("subject").GetString());
        Assert.StartsWith("Dear Zoë O'Brien & Co,", preview.GetProperty("textBody").GetString(), StringComparison.Ordinal);
        Assert.Contains("Dear Zoë O&#39;Brien &amp; Co,", preview.GetProperty("htmlBody").GetString(), StringComparison.Ordinal);
        Assert.Equal("email", preview.GetProperty("recipient").GetProperty("channel").GetString());
        Assert.True(preview.GetProperty("inAudience").GetBoolean());
    }

    private static object Letter(string tag, string? body = null) => new
    {
        name = $"Form ADV letter {tag}",
        kind = "form-adv",
        subject = "Your Form ADV brochure, {{ person.first_name }}",
        body = body ?? "Dear {{ person.full_name }},\n\nOur brochure is enclosed; please read it by {{ deadline }}.\n\n{{ firm.name }}",
        tags = new[] { tag },
        deadline = "2027-04-30",
    };

    /// <summary>
    /// Households of this test's own, tagged with a fresh tag so a campaign reaches only them: key TAG-1, TAG-2…, each
    /// with a primary member and an email; the first is on tom's team, the others are not. <paramref name="doNotContact"/>
    /// names one (1-based) that asked not to be contacted.
    /// </summary>
    private static async Task<string> HouseholdsAsync(EnsembleApp app, int count, int doNotContact = 0, string firstName = "Ada", string lastName = "Campaign")
    {
        var tag = $"CT{Guid.NewGuid():N}"[..12];
        await using var db = app.OpenDb();
        db.Actor = "web-tests";
        db.Operation = "test-setup";
        var households = Enumerable.Range(1, count).Select(n =>
        {
            var household = new Household($"{tag}-{n}", $"The {lastName} Household {n}", LifecycleStage.Client);
            household.SetTags([tag]);
            household.SetCommunication(["email"], doNotContact: n == doNotContact);
            household.UpsertMember("P1", firstName, lastName, null, Relationship.Primary, $"{tag.ToLowerInvariant()}.{n}@mail.example");
            return household;
        }).ToList();
        db.Households.AddRange(households);
        await db.SaveChangesAsync();
        var tom = await db.Staff.Where(s => s.Handle == "tom").Select(s => s.Id).SingleAsync();
        var aisha = await db.Staff.Where(s => s.Handle == "aisha").Select(s => s.Id).SingleAsync();
        foreach (var (household, n) in households.Select((h, i) => (h, i + 1)))
        {
            db.TeamAssignments.Add(new TeamAssignment(household.Id, RoleKeys.Paraplanner, n == 1 ? tom : aisha, []));
        }

        await db.SaveChangesAsync();
        return tag;
    }
}
