using System.Net;
using System.Net.Http.Json;

namespace Ensemble.Web.Tests.Testing;

/// <summary>A process started for a test, and its first task: open, untouched, assigned to one person.</summary>
public sealed record StartedWork(string Household, long Process, long FirstTask, string FirstTaskTitle, string Assignee);

public static class Work
{
    /// <summary>
    /// Starts a trade request (record the request → check the account → …, all associate-advisor work at first)
    /// on a household, as the principal, through the API.
    /// </summary>
    public static async Task<StartedWork> StartTradeRequestAsync(this EnsembleApp app, string household)
    {
        using var elena = await app.ClientAsAsync("elena");
        var started = await elena.PostAsJsonAsync($"/api/households/{household}/processes", new { template = "trade-request" }).ExpectAsync(HttpStatusCode.Created);
        var first = Assert.Single(started.GetProperty("tasks").EnumerateArray(), t => t.GetProperty("status").GetString() == "Open");
        return new StartedWork(
            household,
            started.GetProperty("process").GetInt64(),
            first.GetProperty("id").Id(),
            first.GetProperty("title").GetString()!,
            first.GetProperty("assignee").GetString() ?? throw new InvalidOperationException("The first task has no assignee."));
    }
}
