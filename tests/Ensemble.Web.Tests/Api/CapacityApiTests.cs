using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Api;

/// <summary>The capacity plan and what-ifs through the API: hours per role and person per month, field-level errors.</summary>
[Collection(WebAppCollection.Name)]
public sealed class CapacityApiTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Plan_GivesEveryRoleAndPersonTwelveMonthsOfNeededAndAvailableHours_WithFlags(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");

        var plan = await elena.GetAsync("/api/capacity?year=2027&hoursPerDay=5").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(2027, plan.GetProperty("year").GetInt32());
        Assert.Equal(5, plan.GetProperty("hoursPerDay").GetDouble());
        var roles = plan.GetProperty("roles").EnumerateArray().ToList();
        var wealthPartner = roles.Single(r => r.GetProperty("key").GetString() == "wealth-partner");
        Assert.Equal(12, wealthPartner.GetProperty("months").GetArrayLength());
        Assert.True(wealthPartner.GetProperty("year").GetProperty("needed").GetDouble() > 0);
        Assert.Contains(wealthPartner.GetProperty("months")[0].GetProperty("flag").GetString(), new[] { "Ok", "Stretched", "Over" });
        Assert.Contains(wealthPartner.GetProperty("fewerThanThree").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        var person = plan.GetProperty("people").EnumerateArray().Single(p => p.GetProperty("handle").GetString() == "elena");
        // 5 productive hours on each working day of January 2027 (19: New Year's Day and Martin Luther King Day are closed).
        Assert.Equal(19, plan.GetProperty("businessDays")[0].GetInt32());
        Assert.Equal(95, person.GetProperty("months")[0].GetProperty("available").GetDouble());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task WhatIf_MovingAHouseholdToAnotherTier_ChangesItsTeamsHours(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");

        // The household priya looks after as wealth partner; whichever tier it is in now, one of A and C is a move.
        JsonElement result = default;
        foreach (var tier in new[] { "A", "C" })
        {
            result = await elena.PostAsJsonAsync("/api/capacity/what-if", new { year = 2027, households = new[] { ForeignHousehold.Key }, to = tier }).ExpectAsync(HttpStatusCode.OK);
            if (result.GetProperty("moved").GetArrayLength() == 1)
            {
                break;
            }
        }

        var moved = Assert.Single(result.GetProperty("moved").EnumerateArray());
        Assert.Equal(ForeignHousehold.Key, moved.GetProperty("key").GetString());
        var priya = result.GetProperty("people").EnumerateArray().Single(p => p.GetProperty("handle").GetString() == "priya");
        Assert.NotEqual(0, priya.GetProperty("year").GetProperty("change").GetDouble());
        Assert.Contains(result.GetProperty("roles").EnumerateArray(), r => r.GetProperty("key").GetString() == "wealth-partner");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task BadInput_IsAValidationProblemNamingTheField(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");

        await AssertFieldAsync(await elena.GetAsync("/api/capacity?hoursPerDay=0"), "hoursPerDay");
        await AssertFieldAsync(await elena.GetAsync("/api/capacity?year=1800"), "year");
        await AssertFieldAsync(await elena.PostAsJsonAsync("/api/capacity/what-if", new { }), "to", "households");
        await AssertFieldAsync(await elena.PostAsJsonAsync("/api/capacity/what-if", new { count = 5, from = "Q", to = "A" }), "from");
        await AssertFieldAsync(await elena.PostAsJsonAsync("/api/capacity/what-if", new { count = 100_000, from = "B", to = "A" }), "count");
        await AssertFieldAsync(await elena.PostAsJsonAsync("/api/capacity/what-if", new { households = new[] { "NO-SUCH-1" }, to = "A" }), "households");
    }

    private static async Task AssertFieldAsync(HttpResponseMessage response, params string[] fields)
    {
        using (response)
        {
            var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
            foreach (var field in fields)
            {
                Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not named in {problem}");
            }
        }
    }
}
