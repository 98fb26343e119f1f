using System.Text;
using Ensemble.Consolidation;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Consolidation;

/// <summary>
/// Files of many households take the bulk paths (PostgreSQL copies new rows in, updates many rows in one
/// statement, appends a long audit run at once); what they store must read exactly as one value at a time would.
/// </summary>
public sealed class ConsolidationInBulkTests
{
    private const int Households = 120;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AFileOfManyHouseholds_KeepsLineageAndAudit_AndOpensRevisesAndClosesDiscrepancies(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, Households);
        await SourceFiles.RegisterAsync(firm);
        var crm = await SourceFiles.ImportAsync(firm, "crm", "crm.csv", Csv("household,income,net_worth", _ => true, n => $"{100_000 + n},{n * 1_000}"));
        firm.Clock.Advance(Duration.FromHours(1));

        // Planning disagrees on income for every third household.
        var planning = await SourceFiles.ImportAsync(firm, "planning", "planning.csv", Csv("household,income", _ => true, n => n % 3 == 0 ? $"{200_000 + n}" : $"{100_000 + n}"));
        firm.Clock.Advance(Duration.FromHours(1));

        // Then, for those: half send another value that still disagrees, half come round to the CRM's.
        const string Revised = "planning-revised.csv";
        var revised = await SourceFiles.ImportAsync(firm, "planning", Revised, Csv("household,income", n => n % 3 == 0, n => n % 2 == 0 ? $"{300_000 + n}" : $"{100_000 + n}"));

        Assert.Equal((2 * Households, Households, 0), (crm.Counts.ValuesCreated, planning.Counts.ValuesCreated, revised.Counts.ValuesCreated));
        Assert.Equal((Households / 3, Households / 3, Households / 6), (planning.Counts.DiscrepanciesOpened, revised.Counts.ValuesChanged, revised.Counts.DiscrepanciesClosed));
        Assert.Equal(3 * Households, await firm.Db.SourceValues.CountAsync());
        Assert.Equal(2 * Households, await firm.Db.ConsolidatedValues.CountAsync());

        var discrepancies = await firm.Db.Discrepancies.AsNoTracking().ToListAsync();
        var open = discrepancies.Where(d => d.ResolvedAt is null).ToList();
        Assert.Equal(Households / 6, open.Count);
        var six = await firm.Db.Households.AsNoTracking().SingleAsync(h => h.Key == "HH-00006");
        Assert.Equal(new Dictionary<string, double> { ["crm"] = 100_006, ["planning"] = 300_006 }, open.Single(d => d.HouseholdId == six.Id).Values);
        Assert.All(discrepancies.Where(d => d.ResolvedAt is not null), d => Assert.Equal((Discrepancy.SourcesAgree, "ensemble"), (d.Resolution, d.ResolvedBy)));

        // One audit event per household and source in each file, the chain intact; the same file again writes nothing.
        Assert.Equal(2 * Households + (Households / 3), await firm.Db.AuditEvents.CountAsync(e => e.EntityType == "SourceValues"));
        var events = await firm.Db.AuditEvents.CountAsync();
        var again = await SourceFiles.ImportAsync(firm, "planning", Revised, Csv("household,income", n => n % 3 == 0, n => n % 2 == 0 ? $"{300_000 + n}" : $"{100_000 + n}"));
        Assert.True(again.AlreadyImported);
        Assert.Equal(events, await firm.Db.AuditEvents.CountAsync());
        Assert.True((await new AuditTrail(firm.Db).VerifyAsync()).IsIntact);
    }

    private static string Csv(string header, Func<int, bool> include, Func<int, string> values)
    {
        var csv = new StringBuilder(header).Append('\n');
        for (var n = 1; n <= Households; n++)
        {
            if (include(n))
            {
                csv.Append($"HH-{n:00000},").Append(values(n)).Append('\n');
            }
        }

        return csv.ToString();
    }
}
