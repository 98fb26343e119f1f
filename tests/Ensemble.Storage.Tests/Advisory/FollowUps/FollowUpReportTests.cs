using Ensemble.Advisory.Alerts;
using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.Storage.Advisory.FollowUps;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Advisory.FollowUps;

public sealed class FollowUpReportTests
{
    private static readonly FollowUpPlan Call = new(Quadrant.UrgentAdvice, FollowUpChannel.PhoneCall, FollowUpAction.AdvisorMeeting, RoleKeys.WealthPartner, "test");
    private static readonly FollowUpPlan Newsletter = new(Quadrant.SelfService, FollowUpChannel.Newsletter, FollowUpAction.SelfService, null, "test");

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheReport_CountsResponsesWithinTheWindow_MedianDaysToResolution_AndReopensPerTypeAndChannel(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 7);
        var s = firm.Now();
        Instant Day(int d) => s + Duration.FromDays(d);

        // The will rule, followed up by calls; the report is read 40 days on.
        var a1 = await AlertAsync(firm, 1, "test.will", "none", Day(0), Call);
        var a2 = await AlertAsync(firm, 2, "test.will", "none", Day(0), Call);
        var a3 = await AlertAsync(firm, 3, "test.will", "none", Day(10), Call);
        await AlertAsync(firm, 4, "test.will", "none", Day(35), Call);
        await ChangeAsync(firm, a1, Day(2), "dan", AlertChange.Acknowledged);             // answered in 2 days
        await ResolveAsync(firm, a1, Day(10), AlertResolution.ByPerson);                  // 10 days to resolution
        await ChangeAsync(firm, a1, Day(10), "dan", AlertChange.Resolved);
        await ResolveAsync(firm, a2, Day(4), AlertResolution.ConditionCleared);           // cleared by itself in 4 days...
        await AlertAsync(firm, 2, "test.will", "none", Day(20), Call, previous: a2);      // ...and back 16 days later
        await ChangeAsync(firm, a3, Day(30), "dan", AlertChange.FollowUp);                // answered after 20 days: too late

        // Cash, followed up by the newsletter: one answered by a task of its follow-up process, done on day 3.
        var b1 = await AlertAsync(firm, 5, "test.cash", "some", Day(0), Newsletter);
        await AlertAsync(firm, 6, "test.cash", "some", Day(0), Newsletter);
        await using (var db = firm.OpenAnother())
        {
            var library = await new Library.TemplateLibrary(db, firm.Clock).ImportTextsAsync([Templates.File(Templates.Introduction)], "admin");
            Assert.True(library.IsSuccess, library.Error?.Message);
            var started = await new WorkService(db, firm.Clock).StartAsync("introduction", firm.Households[4], new Dictionary<string, LocalDate>(), "admin");
            var followUp = await db.FollowUps().SingleAsync(f => f.AlertId == b1);
            followUp.TaskStarted(started.Value.Instance.Id, RoleKeys.WealthPartner, firm.Staff["dan"], firm.Now().InUtc().Date);
            await db.SaveChangesAsync();
            firm.Clock.Advance(Duration.FromDays(3));
            Assert.True((await new WorkService(db, firm.Clock).CompleteAsync(started.Value.Activated[0].Id, "dan")).IsSuccess);
        }

        // An alert no one followed up.
        await AlertAsync(firm, 7, "test.cash", "high", Day(0), null);
        firm.Clock.Reset(Day(40));

        await using var read = firm.OpenAnother();
        var report = await new FollowUpReport(read, firm.Clock).BuildAsync();

        var will = Assert.Single(report.Rows, r => r.Type == "test.will");
        Assert.Equal(("phone-call", 5, 4, 1, 0.25), (will.Channel, will.Raised, will.Measured, will.Responded, will.ResponseRate));
        Assert.Equal((2, 1, 7.0, 1, 0.5), (will.Resolved, will.ResolvedByThemselves, will.MedianDaysToResolution, will.Reopened, will.ReopenRate));
        var cash = Assert.Single(report.Rows, r => r.Type == "test.cash/some");
        Assert.Equal(("newsletter", 2, 2, 1, 0.5), (cash.Channel, cash.Raised, cash.Measured, cash.Responded, cash.ResponseRate));
        Assert.Null(cash.MedianDaysToResolution);
        var none = Assert.Single(report.Rows, r => r.Type == "test.cash/high");
        Assert.Equal(("none", 1, 0), (none.Channel, none.Raised, none.Responded));
        Assert.Contains(report.Definitions, d => d.StartsWith("Response rate", StringComparison.Ordinal) && d.Contains("within 14 days", StringComparison.Ordinal));

        using var csv = new StringWriter();
        FollowUpReportCsv.Write(csv, report);
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Contains("test.will,No will on record,No will,phone-call,5,4,1,25.0,2,1,7.0,1,50.0", csv.ToString(), StringComparison.Ordinal);
    }

    private static async Task<AlertId> AlertAsync(FirmBuilder firm, int n, string rule, string variant, Instant raised, FollowUpPlan? plan, AlertId? previous = null)
    {
        await using var db = firm.OpenAnother();
        var type = variant == "none" ? rule : $"{rule}/{variant}";
        var alert = new Alert(firm.Households[n - 1], rule, variant, type, "{}", raised, previous, previous is null ? 0 : 1);
        db.Alerts.Add(alert);
        await db.SaveChangesAsync();
        if (plan is not null)
        {
            db.FollowUps().Add(new AlertFollowUp(alert.Id, alert.HouseholdId, type, plan, "test", 0, raised, raised.InUtc().Date));
            await db.SaveChangesAsync();
        }

        return alert.Id;
    }

    private static async Task ChangeAsync(FirmBuilder firm, AlertId id, Instant at, string who, string what)
    {
        await using var db = firm.OpenAnother();
        db.AlertChanges.Add(new AlertChange(id, at, who, what, AlertStatus.New, what == AlertChange.Resolved ? AlertStatus.Resolved : AlertStatus.Acknowledged, null));
        await db.SaveChangesAsync();
    }

    private static async Task ResolveAsync(FirmBuilder firm, AlertId id, Instant at, AlertResolution how)
    {
        await using var db = firm.OpenAnother();
        Instant? when = at;
        AlertResolution? resolution = how;
        await db.Alerts.Where(a => a.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(a => a.Status, AlertStatus.Resolved).SetProperty(a => a.ResolvedAt, when).SetProperty(a => a.Resolution, resolution));
    }
}
