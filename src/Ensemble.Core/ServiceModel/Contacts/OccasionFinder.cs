using System.Globalization;
using Ensemble.Households;
using NodaTime;

namespace Ensemble.ServiceModel.Contacts;

/// <summary>
/// Finds the occasions that fall in a window of days for one household: the clients' birthdays, the
/// wedding anniversary and recorded life events. Pure: the same household and window give the same list.
/// </summary>
/// <remarks>
/// Only the clients themselves (primary, spouse or partner) have their birthdays marked, not children or
/// other relatives. A member whose death is recorded (a loss naming them) has no more birthdays, and the
/// anniversary stops after the loss of either partner. A birthday or anniversary on 29 February is marked
/// on 28 February in other years.
/// </remarks>
public static class OccasionFinder
{
    /// <summary>How far back a life event whose contact never started is still worth a contact.</summary>
    public const int LifeEventLookBackDays = 60;

    /// <summary>Milestone birthdays: 50, 60, and every fifth from 65 (65, 70, 75…).</summary>
    public static bool IsMilestoneBirthday(int age) => age == 50 || (age >= 60 && age % 5 == 0);

    /// <summary>Milestone anniversaries: every fifth year (5, 10, 15… 25, 50).</summary>
    public static bool IsMilestoneAnniversary(int years) => years > 0 && years % 5 == 0;

    /// <summary>The household's occasions within <paramref name="window"/>, by date.</summary>
    public static IReadOnlyList<Occasion> Find(ContactHousehold household, DateInterval window)
    {
        ArgumentNullException.ThrowIfNull(household);
        ArgumentNullException.ThrowIfNull(window);
        var found = new List<Occasion>();
        foreach (var member in household.Members)
        {
            if (member.BirthDate is not { } born || !IsClient(member.Relationship))
            {
                continue;
            }

            foreach (var (day, age) in Anniversaries(born, window))
            {
                if (!DiedBy(household, member.ExternalId, day))
                {
                    var title = IsMilestoneBirthday(age)
                        ? $"{member.Name}'s {Ordinal(age)} birthday"
                        : $"{member.Name}'s birthday (turns {age.ToString(CultureInfo.InvariantCulture)})";
                    found.Add(new Occasion(OccasionKind.Birthday, day, title, IsMilestoneBirthday(age) ? age : null, MemberExternalId: member.ExternalId));
                }
            }
        }

        if (household.MarriedOn is { } married)
        {
            foreach (var (day, years) in Anniversaries(married, window))
            {
                if (!PartnerLostBy(household, day))
                {
                    found.Add(new Occasion(OccasionKind.Anniversary, day, $"{Ordinal(years)} wedding anniversary", IsMilestoneAnniversary(years) ? years : null));
                }
            }
        }

        var lookBack = window.Start.PlusDays(-LifeEventLookBackDays);
        foreach (var e in household.LifeEvents)
        {
            if (e.OccurredOn >= lookBack && e.OccurredOn <= window.End)
            {
                found.Add(new Occasion(OccasionKind.LifeEvent, e.OccurredOn, LifeEventTitle(household, e), LifeEventId: e.Id, LifeEvent: e.Kind, MemberExternalId: e.MemberExternalId));
            }
        }

        return found.OrderBy(o => o.On).ThenBy(o => o.Kind).ThenBy(o => o.MemberExternalId, StringComparer.Ordinal).ToList();
    }

    /// <summary>"New job: Mary Okafor — moving to Contoso".</summary>
    public static string LifeEventTitle(ContactHousehold household, ContactLifeEvent e)
    {
        ArgumentNullException.ThrowIfNull(household);
        ArgumentNullException.ThrowIfNull(e);
        var kind = LifeEventKinds.Text(e.Kind).Replace('-', ' ');
        var who = e.MemberExternalId is { } id ? household.Members.FirstOrDefault(m => m.ExternalId == id)?.Name : null;
        var title = char.ToUpperInvariant(kind[0]) + kind[1..] + (who is null ? "" : $": {who}");
        return e.Note is null ? title : $"{title} — {e.Note}";
    }

    /// <summary>"1st", "2nd", "3rd", "11th", "21st", "60th".</summary>
    public static string Ordinal(int n)
    {
        var text = n.ToString(CultureInfo.InvariantCulture);
        if (n % 100 is 11 or 12 or 13)
        {
            return text + "th";
        }

        return text + (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
    }

    /// <summary>Each yearly return of <paramref name="origin"/> inside the window, with how many years it marks (at least one).</summary>
    private static IEnumerable<(LocalDate Day, int Years)> Anniversaries(LocalDate origin, DateInterval window)
    {
        for (var year = window.Start.Year; year <= window.End.Year; year++)
        {
            var years = year - origin.Year;
            if (years < 1)
            {
                continue;
            }

            // PlusYears keeps the day where it exists and otherwise takes the month's last day: 29 Feb → 28 Feb.
            var day = origin.PlusYears(years);
            if (window.Contains(day))
            {
                yield return (day, years);
            }
        }
    }

    private static bool IsClient(Relationship relationship) =>
        relationship is Relationship.Primary or Relationship.Spouse or Relationship.Partner;

    private static bool DiedBy(ContactHousehold household, string memberExternalId, LocalDate day) =>
        household.LifeEvents.Any(e => e.Kind == LifeEventKind.Loss && e.MemberExternalId == memberExternalId && e.OccurredOn <= day);

    private static bool PartnerLostBy(ContactHousehold household, LocalDate day) =>
        household.LifeEvents.Any(e => e.Kind == LifeEventKind.Loss && e.OccurredOn <= day && e.MemberExternalId is { } id
            && household.Members.Any(m => m.ExternalId == id && IsClient(m.Relationship)));
}
