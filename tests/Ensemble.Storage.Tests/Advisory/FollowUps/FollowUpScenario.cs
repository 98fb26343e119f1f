using Ensemble.Advisory.Alerts;
using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.ServiceModel;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Advisory.FollowUps;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Advisory.FollowUps;

/// <summary>
/// The advisory test firm (<see cref="AdvisoryBook"/>: <c>test.will</c> at urgency 50 / sensitivity 80 is urgent and
/// advice-sensitive; <c>test.cash/high</c> at 60/40 urgent service; <c>test.cash/some</c> at 30/30 self-service) with
/// what follow-up needs on top: channel preferences, do-not-contact, scheduled meetings, the budget, and runs.
/// Teams: wealth partner dan (backup erin), CSA carol, paraplanners alice and bob.
/// </summary>
internal static class FollowUpScenario
{
    public static async Task ContactAsync(this FirmBuilder firm, int n, bool doNotContact, params string[] channels)
    {
        await using var db = firm.OpenAnother();
        var household = await db.Households.SingleAsync(h => h.Id == firm.Households[n - 1]);
        household.SetCommunication(channels, doNotContact);
        await db.SaveChangesAsync();
    }

    /// <summary>A planned annual review with dan, <paramref name="daysAhead"/> days from now at 10:00.</summary>
    public static async Task<TouchpointId> MeetingAsync(this FirmBuilder firm, int n, int daysAhead, int sequence = 1)
    {
        await using var db = firm.OpenAnother();
        var day = firm.Clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["America/New_York"]).Date.PlusDays(daysAhead);
        var touchpoint = new Touchpoint(firm.Households[n - 1], day.Year, sequence, TouchpointKind.Review, day.At(new LocalTime(10, 0)), 60, firm.Staff["dan"], null);
        db.Touchpoints.Add(touchpoint);
        await db.SaveChangesAsync();
        return touchpoint.Id;
    }

    public static async Task MoveAsync(this FirmBuilder firm, string type, double urgency, double sensitivity)
    {
        await using var db = firm.OpenAnother();
        var moved = await AdvisorySettingsStore.MoveTypeAsync(db, type, new CanvasPosition(urgency, sensitivity), "admin");
        Assert.True(moved.IsSuccess, moved.Error?.Message);
    }

    public static async Task BudgetAsync(this FirmBuilder firm, int tasksPerDay)
    {
        await using var db = firm.OpenAnother();
        var saved = await FollowUpSettingsStore.SaveAsync(db, new FollowUpSettings(tasksPerDay), "admin");
        Assert.True(saved.IsSuccess, saved.Error?.Message);
    }

    public static async Task<FollowUpRunReport> FollowUpAsync(this FirmBuilder firm)
    {
        await using var db = firm.OpenAnother();
        var report = await new FollowUpRunner(db, firm.Clock).RunAsync();
        Assert.Empty(report.Errors);
        return report;
    }

    /// <summary>The advisory run, then the follow-up run, as the sweep does them.</summary>
    public static async Task<FollowUpRunReport> RunBothAsync(this FirmBuilder firm)
    {
        await firm.RunAsync();
        return await firm.FollowUpAsync();
    }

    public static async Task<List<AlertFollowUp>> FollowUpsAsync(this FirmBuilder firm)
    {
        await using var db = firm.OpenAnother();
        return await db.FollowUps().AsNoTracking().OrderBy(f => f.Id).ToListAsync();
    }

    public static async Task<AlertFollowUp> FollowUpOfAsync(this FirmBuilder firm, int n, string rule)
    {
        var alert = (await firm.AlertsAsync()).Where(a => a.HouseholdId == firm.Households[n - 1] && a.RuleKey == rule).OrderBy(a => a.Id).Last();
        return (await firm.FollowUpsAsync()).Single(f => f.AlertId == alert.Id);
    }

    public static async Task<(string TemplateKey, string Role, StaffId? Assignee)> FirstTaskAsync(this FirmBuilder firm, AlertFollowUp followUp)
    {
        await using var db = firm.OpenAnother();
        var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == followUp.InstanceId);
        var task = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == instance.Id).OrderBy(t => t.Id).FirstAsync();
        return (instance.TemplateKey, task.RoleKey, task.AssigneeId);
    }

    /// <summary>Rows in everything a follow-up run writes, to show a run wrote nothing.</summary>
    public static async Task<(int FollowUps, int Instances, int Tasks, int Agenda, int Notices, long Versions)> FootprintAsync(this FirmBuilder firm)
    {
        await using var db = firm.OpenAnother();
        return (await db.FollowUps().CountAsync(), await db.Instances.CountAsync(), await db.Tasks.CountAsync(), await db.AgendaItems().CountAsync(),
            await db.Notifications.CountAsync(), await db.FollowUps().SumAsync(f => (long)f.Version));
    }

    public static Instant Now(this FirmBuilder firm) => firm.Clock.GetCurrentInstant();
}
