using System.Net;
using System.Text;
using System.Text.Json;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Api;

/// <summary>CSV import through the API: all or nothing, every problem with its line and column, safe to re-run.</summary>
[Collection(WebAppCollection.Name)]
public sealed class ImportTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task AFileWithBadRows_ImportsNothing_AndNamesEachRowAndColumn(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        var (good, bad) = ($"HH-CSV-{Guid.NewGuid():N}"[..18], $"HH-CSV-{Guid.NewGuid():N}"[..18]);
        var csv = $"household_id,name,stage,net_worth\n{good},The Good Household,client,1250000\n{bad},The Bad Household,client,lots\n";

        using var response = await elena.SendAsync(Import("households", csv, "book.csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("book.csv", error.GetProperty("file").GetString());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Equal(4, error.GetProperty("column").GetInt32());
        Assert.Equal(0, await app.HouseholdCountAsync(good));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ImportingTheSameFileTwice_CreatesOnce_ThenChangesNothing(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        var key = $"HH-CSV-{Guid.NewGuid():N}"[..18];
        var csv = $"household_id,name,stage\n{key},The Imported Household,prospect\n";

        using var first = await elena.SendAsync(Import("households", csv, "book.csv"));
        using var again = await elena.SendAsync(Import("households", csv, "book.csv"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("\"created\":1", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"unchanged\":1", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await app.HouseholdCountAsync(key));
    }

    [Theory, OnSqlite]
    public async Task ImportIsRefusedToStaffWhoDoNotSeeTheWholeFirm(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var tom = await app.ClientAsAsync("tom");

        using var response = await tom.SendAsync(Import("households", "household_id,name\nHH-X,X\n", "book.csv"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static HttpRequestMessage Import(string kind, string csv, string fileName)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/firm/import/{kind}") { Content = new StringContent(csv, Encoding.UTF8, "text/csv") };
        request.Headers.Add("X-File-Name", fileName);
        return request;
    }
}
