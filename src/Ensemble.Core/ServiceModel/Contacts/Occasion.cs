using System.Globalization;
using Ensemble.Common;
using Ensemble.Households;
using NodaTime;

namespace Ensemble.ServiceModel.Contacts;

/// <summary>What a personal contact marks. Life events come first: they are never dropped for the budget.</summary>
public enum OccasionKind
{
    LifeEvent,
    Birthday,
    Anniversary,
    CheckIn,
}

/// <summary>
/// One occasion in a household's year: a member's birthday, the wedding anniversary, a life event, or a
/// check-in for a household that has gone too long without a contact.
/// </summary>
/// <remarks>
/// <c>On</c> is the day itself; for a life event, the day it happened (or will), which may be past.
/// <c>Milestone</c> is the age or number of years of a milestone birthday or anniversary, null otherwise.
/// </remarks>
public sealed record Occasion(
    OccasionKind Kind,
    LocalDate On,
    string Title,
    int? Milestone = null,
    string? MemberExternalId = null,
    long? LifeEventId = null,
    LifeEventKind? LifeEvent = null)
{
    public bool IsMilestone => Milestone is not null;

    public bool IsLoss => LifeEvent == LifeEventKind.Loss;

    /// <summary>Names the occasion within its household and year, e.g. <c>birthday:P1</c> or <c>life-event:42</c>.</summary>
    public string Key => Kind switch
    {
        OccasionKind.Birthday => $"birthday:{MemberExternalId}",
        OccasionKind.Anniversary => "anniversary",
        OccasionKind.LifeEvent => $"life-event:{LifeEventId?.ToString(CultureInfo.InvariantCulture)}",
        _ => $"check-in:{On.ToString("MM-dd", CultureInfo.InvariantCulture)}",
    };

    /// <summary>
    /// The occurrence key of the contact process started for this occasion: one per household, occasion and
    /// year, so planning the same window twice (or from two nodes at once) starts it once.
    /// </summary>
    public string TriggerKey(HouseholdId household) =>
        $"{ContactKeys.Prefix}{household}:{On.Year.ToString(CultureInfo.InvariantCulture)}:{Key}";

    /// <summary>The text written for the kind: life-event, birthday, anniversary, check-in.</summary>
    public string KindText => Kind switch
    {
        OccasionKind.LifeEvent => "life-event",
        OccasionKind.Birthday => "birthday",
        OccasionKind.Anniversary => "anniversary",
        _ => "check-in",
    };
}

/// <summary>The trigger keys of contact processes: <c>contact:{household}:{year}:{occasion}</c>.</summary>
public static class ContactKeys
{
    public const string Prefix = "contact:";

    /// <summary>The template the contacts start (library/templates/client-management/client-contact.yaml).</summary>
    public const string Template = "client-contact";

    /// <summary>The template's one anchor: the day of the occasion.</summary>
    public const string Anchor = "occasion";

    /// <summary>The occasion part of a contact's trigger key (<c>birthday:P1</c>), or null for a key that is not a contact's.</summary>
    public static string? OccasionOf(string? triggerKey)
    {
        if (triggerKey is null || !triggerKey.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        // contact:{household}:{year}:{occasion…}
        var parts = triggerKey.Split(':', 4);
        return parts.Length == 4 ? parts[3] : null;
    }
}
