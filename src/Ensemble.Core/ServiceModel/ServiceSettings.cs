using NodaTime;

namespace Ensemble.ServiceModel;

/// <summary>One meeting of a tier's year: its kind, length, how many months after the review it falls, and the process that runs it.</summary>
public sealed record TouchpointPlan(TouchpointKind Kind, int Minutes, int MonthsAfterReview, string Template);

/// <summary>A conversation topic for topic meetings, from the firm's editable topic library.</summary>
public sealed record ConversationTopic(string Key, string Title, string? Description = null);

/// <summary>
/// The firm's service model in one document: how households are tiered, what each tier's year of
/// meetings looks like, how many meetings an advisor can hold a day, how often each tier is contacted
/// between meetings, and the topics topic meetings draw from. Stored as one row; every edit is audited.
/// </summary>
public sealed record ServiceSettings(
    TierModel TierModel,
    IReadOnlyDictionary<ServiceTier, IReadOnlyList<TouchpointPlan>> Calendar,
    int MeetingsPerAdvisorPerDay,
    LocalTime FirstMeetingAt,
    LocalTime LastMeetingEndsBy,
    IReadOnlyDictionary<ServiceTier, int> ContactsPerYear,
    IReadOnlyList<ConversationTopic> Topics)
{
    public const string ReviewTemplate = "review-meeting";
    public const string TopicTemplate = "topic-meeting";
    public const string ActionItemReviewTemplate = "action-item-review";

    /// <summary>The service model as the seed describes it (DESIGN.md, client service model).</summary>
    public static ServiceSettings Default { get; } = new(
        TierModel.Default,
        new Dictionary<ServiceTier, IReadOnlyList<TouchpointPlan>>
        {
            [ServiceTier.A] =
            [
                new(TouchpointKind.Review, 90, 0, ReviewTemplate),
                new(TouchpointKind.TopicMeeting, 30, 3, TopicTemplate),
                new(TouchpointKind.ActionItemReview, 60, 6, ActionItemReviewTemplate),
                new(TouchpointKind.TopicMeeting, 30, 9, TopicTemplate),
            ],
            [ServiceTier.B] =
            [
                new(TouchpointKind.Review, 90, 0, ReviewTemplate),
                new(TouchpointKind.ActionItemReview, 30, 4, ActionItemReviewTemplate),
                new(TouchpointKind.TopicMeeting, 30, 8, TopicTemplate),
            ],
            [ServiceTier.C] =
            [
                new(TouchpointKind.Review, 60, 0, ReviewTemplate),
                new(TouchpointKind.TopicMeeting, 30, 6, TopicTemplate),
            ],
        },
        MeetingsPerAdvisorPerDay: 4,
        FirstMeetingAt: new LocalTime(9, 0),
        LastMeetingEndsBy: new LocalTime(17, 0),
        ContactsPerYear: new Dictionary<ServiceTier, int> { [ServiceTier.A] = 12, [ServiceTier.B] = 6, [ServiceTier.C] = 3 },
        Topics:
        [
            new("retirement-income", "Turning savings into retirement income"),
            new("social-security", "When to claim Social Security"),
            new("medicare", "Medicare choices and enrolment windows"),
            new("long-term-care", "Paying for long-term care"),
            new("estate-basics", "Wills, trusts and powers of attorney"),
            new("beneficiaries", "Are the beneficiaries still right?"),
            new("tax-planning", "Planning this year's taxes"),
            new("charitable-giving", "Giving to charity tax-efficiently"),
            new("college-funding", "Saving for education"),
            new("insurance-review", "Is the family's insurance still enough?"),
            new("business-succession", "Passing on or selling a business"),
            new("caring-for-parents", "Supporting ageing parents"),
            new("home-and-mortgage", "Buying, selling or refinancing a home"),
            new("identity-protection", "Protecting accounts and identity online"),
        ]);

    /// <summary>The meetings a tier's year holds, review first; empty for unsegmented households.</summary>
    public IReadOnlyList<TouchpointPlan> PlanFor(ServiceTier tier) =>
        Calendar.TryGetValue(tier, out var plan) ? plan : [];
}
