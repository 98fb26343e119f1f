using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Calendar;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.ServiceModel;

/// <summary>A client household as the calendar loads it: the planner's view plus its key and name for reports.</summary>
internal sealed record CalendarClient(CalendarHousehold Household, string Key, string Name);

/// <summary>
/// Reads what the planner needs in a few set-wise queries: the client households with their tier in force,
/// review month and advisor; the advisors and their absences; the meetings already in the calendar; and the
/// topics each household discussed recently.
/// </summary>
internal static class ServiceCalendarInputs
{
    /// <summary>Client households (all, or those given) with the calendar's view of each.</summary>
    public static async Task<List<CalendarClient>> ClientsAsync(
        EnsembleDb db, IReadOnlyCollection<HouseholdId>? only, ServiceSettings settings, LocalDate today, CancellationToken ct)
    {
        var query = db.Households.AsNoTracking().Where(h => h.Stage == LifecycleStage.Client);
        var tierQuery = db.HouseholdTiers.AsNoTracking();
        var teamQuery = db.TeamAssignments.AsNoTracking()
            .Where(a => a.HouseholdId != null && (a.RoleKey == RoleKeys.WealthPartner || a.RoleKey == RoleKeys.FinancialAdvisor));
        if (only is not null)
        {
            var ids = only.ToList();
            var nullable = only.Select(h => (HouseholdId?)h).ToList();
            query = query.Where(h => ids.Contains(h.Id));
            tierQuery = tierQuery.Where(t => ids.Contains(t.HouseholdId));
            teamQuery = teamQuery.Where(a => nullable.Contains(a.HouseholdId));
        }

        var households = await query.OrderBy(h => h.Id).Select(h => new { h.Id, h.Key, h.Name, h.ReviewMonth }).ToListAsync(ct);
        var stored = await tierQuery.ToDictionaryAsync(t => t.HouseholdId, ct);
        var tiers = new Dictionary<HouseholdId, ServiceTier>(households.Count);
        foreach (var h in households)
        {
            if (stored.TryGetValue(h.Id, out var row))
            {
                tiers[h.Id] = row.InForceOn(today);
            }
        }

        // Households never tiered are decided from their facts now, as the household page does.
        var undecided = households.Where(h => !tiers.ContainsKey(h.Id)).Select(h => h.Id).ToList();
        foreach (var (id, tier) in await TierBook.DecideUnstoredAsync(db, undecided, today, settings.TierModel, ct))
        {
            tiers[id] = tier;
        }

        var team = await teamQuery.Select(a => new { a.HouseholdId, a.RoleKey, a.StaffId }).ToListAsync(ct);
        var advisors = AdvisorsOf(team.Select(a => (a.HouseholdId!.Value, a.RoleKey, a.StaffId)));

        return households
            .Select(h => new CalendarClient(
                new CalendarHousehold(h.Id, tiers.GetValueOrDefault(h.Id, ServiceTier.Unsegmented), h.ReviewMonth, advisors.TryGetValue(h.Id, out var a) ? a : null),
                h.Key,
                h.Name))
            .ToList();
    }

    /// <summary>The advisor who meets each household: its wealth partner, or else its financial advisor.</summary>
    private static Dictionary<HouseholdId, StaffId> AdvisorsOf(IEnumerable<(HouseholdId Household, string Role, StaffId Staff)> assignments)
    {
        var advisors = new Dictionary<HouseholdId, StaffId>();
        foreach (var (household, role, staff) in assignments)
        {
            if (role == RoleKeys.WealthPartner || !advisors.ContainsKey(household))
            {
                advisors[household] = staff;
            }
        }

        return advisors;
    }

    public static async Task<List<CalendarAdvisor>> AdvisorsAsync(EnsembleDb db, CancellationToken ct) =>
        (await db.Staff.AsNoTracking().ToListAsync(ct))
            .Select(s => new CalendarAdvisor(s.Id, s.Handle, s.Active, s.Absences))
            .ToList();

    /// <summary>
    /// The meetings the planner must respect for a service year: every one of that year (so none is added
    /// twice) and every one held by the advisors concerned in the planning window, whatever household it is for.
    /// </summary>
    public static async Task<List<BookedMeeting>> ExistingAsync(
        EnsembleDb db, int year, IReadOnlyCollection<HouseholdId>? only, IReadOnlyCollection<StaffId>? advisors, CancellationToken ct)
    {
        var from = new LocalDate(year - 1, 1, 1).AtMidnight();
        var to = new LocalDate(year + 3, 1, 1).AtMidnight();
        var query = db.Touchpoints.AsNoTracking();
        if (only is null)
        {
            query = query.Where(t => t.Year == year || (t.StartsAt >= from && t.StartsAt < to));
        }
        else
        {
            var households = only.ToList();
            var staff = (advisors ?? []).Select(a => (StaffId?)a).ToList();
            query = query.Where(t => households.Contains(t.HouseholdId) || (staff.Contains(t.AdvisorId) && t.StartsAt >= from && t.StartsAt < to));
        }

        return await query
            .Select(t => new BookedMeeting(t.HouseholdId, t.Year, t.Sequence, t.AdvisorId, t.StartsAt, t.Minutes, t.Status))
            .ToListAsync(ct);
    }

    /// <summary>Topics discussed or booked with each household from two years before the service year on.</summary>
    public static async Task<Dictionary<HouseholdId, IReadOnlyList<TopicUse>>> TopicHistoryAsync(
        EnsembleDb db, int year, IReadOnlyCollection<HouseholdId>? only, CancellationToken ct)
    {
        var since = new LocalDate(year - 2, 1, 1).AtMidnight();
        var query = db.Touchpoints.AsNoTracking().Where(t => t.Topic != null && t.Status != TouchpointStatus.Cancelled && t.StartsAt >= since);
        if (only is not null)
        {
            var households = only.ToList();
            query = query.Where(t => households.Contains(t.HouseholdId));
        }

        var uses = await query.Select(t => new { t.HouseholdId, t.Topic, t.StartsAt }).ToListAsync(ct);
        return uses
            .GroupBy(u => u.HouseholdId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<TopicUse>)g.Select(u => new TopicUse(u.Topic!, u.StartsAt.Date)).ToList());
    }

    /// <summary>The template that prepares a meeting: the tier's plan names it; else the first plan with a meeting of that kind.</summary>
    public static string? TemplateFor(ServiceSettings settings, ServiceTier tier, int sequence, TouchpointKind kind)
    {
        var plan = settings.PlanFor(tier);
        if (sequence >= 1 && sequence <= plan.Count && plan[sequence - 1].Kind == kind)
        {
            return plan[sequence - 1].Template;
        }

        return settings.Calendar.Values.SelectMany(p => p).FirstOrDefault(p => p.Kind == kind)?.Template;
    }

    /// <summary>"touchpoint:12:2027:3" — names the process of one meeting, so it is started once however often the year is laid out.</summary>
    public static string TriggerKey(HouseholdId household, int year, int sequence) => $"touchpoint:{household.Value}:{year}:{sequence}";
}
