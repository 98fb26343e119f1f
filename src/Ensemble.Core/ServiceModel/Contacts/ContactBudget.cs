using System.Globalization;
using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using NodaTime;

namespace Ensemble.ServiceModel.Contacts;

/// <summary>What the plan does with one occasion.</summary>
public enum ContactDecision
{
    /// <summary>A contact process is to be started for it.</summary>
    Planned,

    /// <summary>Its contact process was started before (by an earlier plan or when the life event was recorded).</summary>
    AlreadyStarted,

    /// <summary>No contact: the household asked not to be contacted, or its tier's yearly frequency is used up.</summary>
    Skipped,
}

/// <summary>One occasion of a household with what the plan decided, the day the contact is for, its channel and the role that makes it.</summary>
public sealed record ContactLine(
    ContactHousehold Household,
    Occasion Occasion,
    LocalDate ContactOn,
    ContactChannel Channel,
    string OwnerRole,
    ContactDecision Decision,
    string Reason)
{
    public string TriggerKey => Occasion.TriggerKey(Household.Id);
}

/// <summary>
/// Decides which occasions get a personal contact, within the yearly contact frequency the firm sets per
/// tier (<see cref="ServiceSettings.ContactsPerYear"/>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A household that asked not to be contacted gets none; its occasions are reported as skipped.</item>
/// <item>Life events always get a contact, whatever the budget (a loss included, and it goes to the wealth partner).</item>
/// <item>Birthdays and anniversaries take the rest of the budget, milestones first and then by date, while the
/// household's contacts over the last twelve months (counting those already started for days ahead) stay under
/// its tier's frequency.</item>
/// <item>A household with nothing to mark in the window that has gone longer than its tier's interval
/// (365 days ÷ frequency) without a contact gets a check-in. One never contacted gets its first check-in on a
/// day of the first interval fixed by its id, so a new book is spread out rather than called all on one day.</item>
/// </list>
/// The contact is made by the wealth partner for tier A, the financial advisor for B and the client care
/// coordinator otherwise; after a loss (recorded within the last year, or the occasion itself) always by the
/// wealth partner — as the client-contact template's step conditions say.
/// </remarks>
public static class ContactBudget
{
    /// <summary>The plan for many households: every occasion in the window with its decision, by date then household.</summary>
    public static IReadOnlyList<ContactLine> Plan(
        IEnumerable<ContactHousehold> households, DateInterval window, LocalDate today, IReadOnlyDictionary<ServiceTier, int> contactsPerYear)
    {
        ArgumentNullException.ThrowIfNull(households);
        return households.SelectMany(h => PlanHousehold(h, window, today, contactsPerYear))
            .OrderBy(l => l.ContactOn).ThenBy(l => l.Household.Key, StringComparer.Ordinal).ThenBy(l => l.Occasion.Kind)
            .ToList();
    }

    public static IReadOnlyList<ContactLine> PlanHousehold(
        ContactHousehold household, DateInterval window, LocalDate today, IReadOnlyDictionary<ServiceTier, int> contactsPerYear)
    {
        ArgumentNullException.ThrowIfNull(household);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(contactsPerYear);
        var channel = ContactChannels.For(household.PreferredChannels);
        var recentLoss = household.LifeEvents.Any(e => e.Kind == LifeEventKind.Loss && e.OccurredOn >= HouseholdFacts.RecentSince(today));
        var started = household.Contacts.Where(c => c.TriggerKey is not null).Select(c => c.TriggerKey!).ToHashSet(StringComparer.Ordinal);
        var lines = new List<ContactLine>();

        ContactLine Line(Occasion occasion, ContactDecision decision, string reason) => new(
            household, occasion, ContactDay(occasion, today), channel,
            OwnerRole(household.Tier, recentLoss || occasion.IsLoss), decision, reason);

        bool IsStarted(Occasion o) =>
            started.Contains(o.TriggerKey(household.Id))
            || (o.LifeEventId is { } id && household.LifeEvents.Any(e => e.Id == id && e.ContactStarted));

        var occasions = OccasionFinder.Find(household, window);
        if (household.DoNotContact)
        {
            return occasions.Select(o => IsStarted(o)
                ? Line(o, ContactDecision.AlreadyStarted, "started before the household asked not to be contacted")
                : Line(o, ContactDecision.Skipped, "the household asked not to be contacted")).ToList();
        }

        var perYear = contactsPerYear.GetValueOrDefault(household.Tier);
        var yearAgo = today.PlusYears(-1);
        var used = household.Contacts.Count(c => c.On > yearAgo);
        var tier = TierName(household.Tier);

        foreach (var o in occasions.Where(IsStarted))
        {
            lines.Add(Line(o, ContactDecision.AlreadyStarted, "already started"));
        }

        foreach (var o in occasions.Where(o => o.Kind == OccasionKind.LifeEvent && !IsStarted(o)))
        {
            used++;
            lines.Add(Line(o, ContactDecision.Planned, o.IsLoss ? "a loss always gets a contact from the wealth partner" : "life events always get a contact"));
        }

        var dates = occasions
            .Where(o => o.Kind is OccasionKind.Birthday or OccasionKind.Anniversary && !IsStarted(o))
            .OrderByDescending(o => o.IsMilestone).ThenBy(o => o.On).ThenBy(o => o.Kind).ThenBy(o => o.MemberExternalId, StringComparer.Ordinal);
        foreach (var o in dates)
        {
            if (used < perYear)
            {
                lines.Add(Line(o, ContactDecision.Planned, $"{Count(used + 1)} of {Count(perYear)} a year for {tier}{(o.IsMilestone ? "; a milestone" : "")}"));
                used++;
            }
            else
            {
                lines.Add(Line(o, ContactDecision.Skipped, $"{tier} gets {Count(perYear)} a year and {Count(used)} are made or planned over the last 12 months"));
            }
        }

        if (lines.Count == 0 && CheckIn(household, window, today, perYear, used) is { } checkIn)
        {
            lines.Add(Line(checkIn.Occasion, ContactDecision.Planned, checkIn.Reason));
        }

        return lines.OrderBy(l => l.ContactOn).ThenBy(l => l.Occasion.Kind).ToList();
    }

    /// <summary>The role that makes a household's contact: by tier, and the wealth partner after a loss.</summary>
    public static string OwnerRole(ServiceTier tier, bool afterLoss) => afterLoss
        ? RoleKeys.WealthPartner
        : tier switch
        {
            ServiceTier.A => RoleKeys.WealthPartner,
            ServiceTier.B => RoleKeys.FinancialAdvisor,
            _ => RoleKeys.ClientCareCoordinator,
        };

    /// <summary>Days between contacts for a frequency (365 ÷ contacts a year, at least one); null for none a year.</summary>
    public static int? IntervalDays(int perYear) => perYear <= 0 ? null : Math.Max(1, 365 / perYear);

    /// <summary>The day the contact is for: the occasion, or today for a life event that already happened.</summary>
    public static LocalDate ContactDay(Occasion occasion, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(occasion);
        return occasion.Kind == OccasionKind.LifeEvent && occasion.On < today ? today : occasion.On;
    }

    private static (Occasion Occasion, string Reason)? CheckIn(ContactHousehold household, DateInterval window, LocalDate today, int perYear, int used)
    {
        if (IntervalDays(perYear) is not { } interval || used >= perYear)
        {
            return null;
        }

        var last = household.Contacts.Count == 0 ? (LocalDate?)null : household.Contacts.Max(c => c.On);
        LocalDate due;
        string reason;
        if (last is { } on)
        {
            due = LocalDate.Max(on.PlusDays(interval), window.Start);
            reason = $"no contact since {on.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture)}; {TierName(household.Tier)} is contacted every {interval} days";
        }
        else
        {
            // A fixed phase per household within the interval, the same whichever day the plan runs.
            var phase = (int)(household.Id.Value % interval);
            var day = window.Start.ToDateOnly().DayNumber % interval;
            due = window.Start.PlusDays((phase - day + interval) % interval);
            reason = $"no contact recorded yet; {TierName(household.Tier)} is contacted every {interval} days";
        }

        if (due > window.End || due < today)
        {
            return null;
        }

        var title = last is null ? "Check-in: first personal contact" : $"Check-in: {Count(Period.DaysBetween(last.Value, due))} days since the last contact";
        return (new Occasion(OccasionKind.CheckIn, due, title), reason);
    }

    private static string TierName(ServiceTier tier) => tier == ServiceTier.Unsegmented ? "an unsegmented household" : $"tier {tier}";

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
