using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using Ensemble.Consolidation;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Consolidation;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Tests.Advisory;

/// <summary>
/// A firm (see <see cref="FirmBuilder"/>) running a small framework written for these tests, with fact sheets set
/// directly: <c>test.cash</c> (cash over 10% of the portfolio; over 30% is the urgent variant; a zero portfolio
/// divides by zero) and <c>test.will</c> (no will on record).
/// </summary>
internal static class AdvisoryBook
{
    public const string Framework = """
        # Two rules for the tests.
        rule test.cash "Cash above target"
          category investments
          advice "Agree how much cash to invest."
          let share = cash / portfolio.value * 100
          when share > 10
          variant high "Over 30% in cash" if share > 30 at urgency 60 sensitivity 40
          variant some "Over 10% in cash" at urgency 30 sensitivity 30
        end

        rule test.will "No will on record"
          category estate
          when not known_or(will.exists, no)
          variant none "No will" at urgency 50 sensitivity 80
        end
        """;

    public static async Task<FirmBuilder> CreateAsync(StorageProvider provider, int households) =>
        await CreateAsync(await TestDatabases.CreateAsync(provider), households);

    public static async Task<FirmBuilder> CreateAsync(DatabaseLocation location, int households)
    {
        var firm = await FirmBuilder.CreateAsync(location, households);
        var saved = await AdvisorySettingsStore.SetFrameworkAsync(firm.Db, Framework, "test.rules", "admin");
        Assert.True(saved.IsSuccess, saved.Error?.Message);
        return firm;
    }

    /// <summary>Sets household <paramref name="n"/>'s fact sheet (1-based, as FirmBuilder numbers them) to exactly these facts.</summary>
    public static async Task SheetAsync(this FirmBuilder firm, int n, params (string Fact, double Value)[] facts)
    {
        var sheet = FactSheet.Empty(FactCatalog.Default);
        foreach (var (fact, value) in facts)
        {
            sheet[FactCatalog.Default.Get(fact).Ordinal] = value;
        }

        var id = firm.Households[n - 1];
        await using var db = firm.OpenAnother();
        var row = await db.FactSheets.SingleOrDefaultAsync(s => s.HouseholdId == id);
        if (row is null)
        {
            db.FactSheets.Add(new FactSheetRow { HouseholdId = id, Sheet = FactSheet.Pack(sheet), ComputedAt = firm.Clock.GetCurrentInstant() });
        }
        else
        {
            row.Sheet = FactSheet.Pack(sheet);
        }

        await db.SaveChangesAsync();
    }

    /// <summary>Cash as a share of a $1M portfolio, and a will (or not).</summary>
    public static Task HoldingsAsync(this FirmBuilder firm, int n, double cashShare, bool will) =>
        firm.SheetAsync(n, ("portfolio.value", 1_000_000), ("cash", cashShare * 10_000), ("will.exists", will ? 1 : 0));

    public static async Task<AdvisoryRunReport> RunAsync(this FirmBuilder firm)
    {
        await using var db = firm.OpenAnother();
        return await new AdvisoryRun(db, firm.Clock).RunAsync();
    }

    public static async Task<List<Alert>> AlertsAsync(this FirmBuilder firm)
    {
        await using var db = firm.OpenAnother();
        return await db.Alerts.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
    }

    public static async Task<Alert> OpenAlertAsync(this FirmBuilder firm, int n, string rule)
    {
        var id = firm.Households[n - 1];
        await using var db = firm.OpenAnother();
        return await db.Alerts.AsNoTracking().SingleAsync(a => a.HouseholdId == id && a.RuleKey == rule && a.Status != AlertStatus.Resolved);
    }

    public static async Task<List<AlertChange>> HistoryAsync(this FirmBuilder firm, AlertId id)
    {
        await using var db = firm.OpenAnother();
        return await db.AlertChanges.AsNoTracking().Where(c => c.AlertId == id).OrderBy(c => c.Id).ToListAsync();
    }

    /// <summary>Rows in the tables a run writes, to show that a run wrote nothing.</summary>
    public static async Task<(int Alerts, int Changes, int Listed, long Versions)> FootprintAsync(this FirmBuilder firm)
    {
        await using var db = firm.OpenAnother();
        return (await db.Alerts.CountAsync(), await db.AlertChanges.CountAsync(), await db.Unevaluated.CountAsync(),
            await db.Alerts.SumAsync(a => (long)a.Version));
    }
}
