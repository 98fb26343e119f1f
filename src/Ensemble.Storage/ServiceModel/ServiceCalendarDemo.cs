using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.ServiceModel;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.ServiceModel;

/// <summary>
/// The demo firm's service calendar: every client household gets a review month, and each one's coming service
/// year is laid out, so every tiered household has its meetings with their preparation work. Reviews the demo
/// already booked become the first meeting of their household's year; the others review from next month on, so
/// whatever day the demo is built, its calendar lies ahead.
/// </summary>
internal static class ServiceCalendarDemo
{
    private const string ReviewTemplate = "review-meeting";

    /// <summary>Returns how many processes the calendar started.</summary>
    public static async Task<int> LayOutAsync(EnsembleDb db, IClock clock, string actor, CancellationToken cancellationToken)
    {
        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        var partners = (await db.TeamAssignments.AsNoTracking()
                .Where(a => a.HouseholdId != null && a.RoleKey == RoleKeys.WealthPartner)
                .Select(a => new { a.HouseholdId, a.StaffId })
                .ToListAsync(cancellationToken))
            .ToDictionary(a => a.HouseholdId!.Value, a => a.StaffId);
        var booked = (await db.Instances.AsNoTracking()
                .Where(i => i.TemplateKey == ReviewTemplate && i.HouseholdId != null && i.Status == Processes.Running.InstanceStatus.Running)
                .Select(i => new { i.Id, i.HouseholdId, i.Anchors })
                .ToListAsync(cancellationToken))
            .Where(i => i.Anchors.ContainsKey("meeting"))
            .GroupBy(i => i.HouseholdId!.Value)
            .ToDictionary(g => g.Key, g => g.First());

        db.Actor = actor;
        db.Operation = "demo-calendar";
        var years = new Dictionary<HouseholdId, int>();
        var perDay = new Dictionary<(StaffId, LocalDate), int>();
        var clients = await db.Households.Where(h => h.Stage == LifecycleStage.Client).OrderBy(h => h.Id).ToListAsync(cancellationToken);
        var spread = 0;
        foreach (var household in clients)
        {
            if (booked.TryGetValue(household.Id, out var review))
            {
                // The booked review is the year's first meeting, with the process already preparing it.
                var date = review.Anchors["meeting"];
                var advisor = partners.GetValueOrDefault(household.Id);
                var slot = perDay.GetValueOrDefault((advisor, date));
                perDay[(advisor, date)] = slot + 1;
                var meeting = new Touchpoint(household.Id, date.Year, 1, TouchpointKind.Review, date.At(new LocalTime(9 + (2 * (slot % 4)), 0)), 90, partners.ContainsKey(household.Id) ? advisor : null, null);
                meeting.AttachProcess(review.Id);
                db.Touchpoints.Add(meeting);
                household.SetReviewMonth(date.Month);
                years[household.Id] = date.Year;
                continue;
            }

            var month = ((today.Month + (spread++ % 12)) % 12) + 1;
            household.SetReviewMonth(month);
            years[household.Id] = month > today.Month ? today.Year : today.Year + 1;
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        db.Operation = null;

        var calendar = new ServiceCalendar(db, clock);
        var started = 0;
        foreach (var year in years.GroupBy(y => y.Value).OrderBy(g => g.Key))
        {
            var laid = await calendar.LayOutAsync(year.Key, year.Select(y => y.Key).ToList(), actor, cancellationToken);
            started += laid.IsSuccess ? laid.Value.ProcessesStarted : 0;
        }

        return started;
    }
}
