using System.Globalization;
using Ensemble.ServiceModel;
using NodaTime;

namespace Ensemble.Storage.ServiceModel;

/// <summary>How a meeting is named to people: in reminders, calendar entries and the CLI.</summary>
public static class MeetingText
{
    public static string KindName(TouchpointKind kind) => kind switch
    {
        TouchpointKind.Review => "Annual review",
        TouchpointKind.TopicMeeting => "Topic meeting",
        TouchpointKind.ActionItemReview => "Action-item review",
        _ => kind.ToString(),
    };

    /// <summary>E.g. "Annual review: The Okafor Household", or "Topic meeting (When to claim Social Security): The Okafor Household".</summary>
    public static string Summary(Touchpoint touchpoint, string householdName, ServiceSettings settings)
    {
        var topic = TopicTitle(touchpoint, settings);
        return topic is null ? $"{KindName(touchpoint.Kind)}: {householdName}" : $"{KindName(touchpoint.Kind)} ({topic}): {householdName}";
    }

    /// <summary>The topic's title from the firm's topic library, or its key when the library no longer has it.</summary>
    public static string? TopicTitle(Touchpoint touchpoint, ServiceSettings settings) =>
        touchpoint.Topic is not { Length: > 0 } key ? null : settings.Topics.FirstOrDefault(t => t.Key == key)?.Title ?? key;

    /// <summary>E.g. "Thu 3 Dec 2026, 10:00".</summary>
    public static string When(LocalDateTime startsAt) => startsAt.ToString("ddd d MMM uuuu, HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The path of the household's page in the app.</summary>
    public static string HouseholdPath(string householdKey) => "/households/" + Uri.EscapeDataString(householdKey);
}
