namespace Ensemble.Advisory.FollowUp;

/// <summary>How a plan is carried out.</summary>
public enum FollowUpRouteKind
{
    /// <summary>A process is started for the household, so its first task lands on a person's list (capped by the noise budget).</summary>
    Task,

    /// <summary>An item on the agenda of the household's next scheduled meeting.</summary>
    Agenda,

    /// <summary>A message to the client by the plan's channel, left for the outbox to deliver.</summary>
    ClientMessage,
}

/// <summary>The route of one plan: its kind and, for a task, the library template that carries it.</summary>
public readonly record struct FollowUpRoute(FollowUpRouteKind Kind, string? TemplateKey)
{
    /// <summary>The library template for a call to the client that needs little advice (<c>alert-call</c>).</summary>
    public const string CallTemplate = "alert-call";

    /// <summary>The library template for an advice meeting about an alert (<c>alert-advice-meeting</c>).</summary>
    public const string AdviceMeetingTemplate = "alert-advice-meeting";

    /// <summary>The library template for reviewing a do-not-contact household's file without reaching out (<c>alert-file-review</c>).</summary>
    public const string FileReviewTemplate = "alert-file-review";

    public static IReadOnlyList<string> Templates { get; } = [CallTemplate, AdviceMeetingTemplate, FileReviewTemplate];

    /// <summary>
    /// The route of a plan: do-not-contact is a file review; a call is a call, or the advisor's call that books an
    /// advice meeting when the quadrant needs advice; an advice-sensitive alert with no meeting scheduled starts an
    /// advice meeting (the invitation goes by the plan's channel); the agenda is the agenda; the rest are messages.
    /// </summary>
    public static FollowUpRoute Of(FollowUpPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Channel switch
        {
            FollowUpChannel.InternalReview => new(FollowUpRouteKind.Task, FileReviewTemplate),
            FollowUpChannel.MeetingAgenda => new(FollowUpRouteKind.Agenda, null),
            FollowUpChannel.PhoneCall when plan.Action == FollowUpAction.AdvisorMeeting => new(FollowUpRouteKind.Task, AdviceMeetingTemplate),
            FollowUpChannel.PhoneCall => new(FollowUpRouteKind.Task, CallTemplate),
            _ when plan.Action == FollowUpAction.AdvisorMeeting => new(FollowUpRouteKind.Task, AdviceMeetingTemplate),
            _ => new(FollowUpRouteKind.ClientMessage, null),
        };
    }

    /// <summary>What the route adds to the planner's reason, so the follow-up explains all of itself.</summary>
    public string Explain(FollowUpPlan plan) => (Kind, TemplateKey) switch
    {
        (FollowUpRouteKind.Task, AdviceMeetingTemplate) when plan.Channel != FollowUpChannel.PhoneCall =>
            $"; no meeting is scheduled, so an advice meeting is started and the invitation goes by {Word(plan.Channel)}",
        (FollowUpRouteKind.Task, AdviceMeetingTemplate) => "; the call books an advice meeting",
        (FollowUpRouteKind.ClientMessage, _) when plan.Channel == FollowUpChannel.Newsletter => "; the approved message goes out with the household's next mailing",
        (FollowUpRouteKind.ClientMessage, _) => $"; the approved message is sent by {Word(plan.Channel)}",
        _ => "",
    };

    private static string Word(FollowUpChannel channel) => channel switch
    {
        FollowUpChannel.PortalNudge => "portal",
        FollowUpChannel.Newsletter => "newsletter",
        _ => channel.PreferenceWord() ?? channel.ToString().ToLowerInvariant(),
    };
}
