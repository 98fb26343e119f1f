using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Processes.Templates;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Capacity;
using NodaTime;

namespace Ensemble.Tests.ServiceModel.Capacity;

/// <summary>
/// A small firm for hand-counted capacity cases, in 2027 on a calendar of weekdays only (no holidays):
/// business days per month 21, 20, 23, 22, 21, 22, 22, 22, 22, 21, 22, 23.
/// Tier A meets for a 60-minute review in the review month and a 30-minute topic meeting six months
/// later; tier B and C for the review only. A review asks 30 minutes of the paraplanner before and 15 of
/// the coordinator after, and the wealth partner holds it; a topic meeting asks 20 paraplanner minutes
/// and the financial advisor holds it. One team does everything; paul is the firm-level principal.
/// </summary>
internal static class CapacityFirm
{
    public const int Year = 2027;

    public static readonly StaffId Wendy = new(1);
    public static readonly StaffId Pat = new(2);
    public static readonly StaffId Cora = new(3);
    public static readonly StaffId Fred = new(4);
    public static readonly StaffId Paul = new(5);
    public static readonly StaffId Ava = new(6);

    public static readonly BusinessCalendar Weekdays = new([IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday], false, []);

    private static readonly IReadOnlySet<string> KnownRoles = RoleKeys.Defaults.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

    public const string Review = """
        key: review
        name: Review
        category: client-management
        description: The annual review.
        owner: wealth-partner
        anchors: [meeting]
        steps:
          - key: prepare
            title: Prepare the pack
            role: paraplanner
            minutes: 30
            due: 3 business days before meeting
          - key: hold-review
            title: Hold the review
            role: wealth-partner
            minutes: 90
            due: on meeting
            after: [prepare]
          - key: notes
            title: File the notes
            role: client-care-coordinator
            minutes: 15
            after: [hold-review]
        """;

    public const string Topic = """
        key: topic
        name: Topic
        category: client-management
        description: A topic meeting.
        owner: financial-advisor
        anchors: [meeting]
        steps:
          - key: prepare
            title: Prepare the topic
            role: paraplanner
            minutes: 20
            due: 2 business days before meeting
          - key: talk
            title: Talk it through
            role: financial-advisor
            minutes: 45
            due: on meeting
            after: [prepare]
        """;

    /// <summary>Two hours of the principal's time at the start of every quarter.</summary>
    public const string QuarterlyBusinessReview = """
        key: quarterly-business-review
        name: Quarterly Business Review
        category: practice-management
        scope: firm
        description: Looks at the quarter.
        owner: principal
        triggers:
          - every: quarterly
        steps:
          - key: review
            title: Review the quarter
            role: principal
            minutes: 120
        """;

    /// <summary>Half an hour of the associate advisor's time for every client each October.</summary>
    public const string AnnualTaxCheck = """
        key: annual-tax-check
        name: Annual Tax Check
        category: service-requests
        description: Checks each client's tax position before year end.
        owner: associate-advisor
        triggers:
          - every: annual
            start-month: 10
            for: all-clients
        steps:
          - key: check
            title: Check the tax position
            role: associate-advisor
            minutes: 30
        """;

    public static ProcessTemplate Template(string yaml)
    {
        var loaded = TemplateLoader.Load(yaml, "test.yaml", KnownRoles);
        Assert.True(loaded.Succeeded, string.Join("; ", loaded.Diagnostics));
        return loaded.Template!;
    }

    public static ServiceSettings Settings(int contactsA = 0, int contactsB = 0) => ServiceSettings.Default with
    {
        Calendar = new Dictionary<ServiceTier, IReadOnlyList<TouchpointPlan>>
        {
            [ServiceTier.A] = [new(TouchpointKind.Review, 60, 0, "review"), new(TouchpointKind.TopicMeeting, 30, 6, "topic")],
            [ServiceTier.B] = [new(TouchpointKind.Review, 60, 0, "review")],
            [ServiceTier.C] = [new(TouchpointKind.Review, 60, 0, "review")],
        },
        ContactsPerYear = new Dictionary<ServiceTier, int> { [ServiceTier.A] = contactsA, [ServiceTier.B] = contactsB, [ServiceTier.C] = 0 },
    };

    public static CapacityPerson Person(StaffId id, string handle, params string[] roles) =>
        new(id, handle, char.ToUpperInvariant(handle[0]) + handle[1..], roles, []);

    public static IReadOnlyList<CapacityPerson> People { get; } =
    [
        Person(Wendy, "wendy", RoleKeys.WealthPartner),
        Person(Pat, "pat", RoleKeys.Paraplanner),
        Person(Cora, "cora", RoleKeys.ClientCareCoordinator),
        Person(Fred, "fred", RoleKeys.FinancialAdvisor),
        Person(Paul, "paul", RoleKeys.Principal),
        Person(Ava, "ava", RoleKeys.AssociateAdvisor),
    ];

    public static IReadOnlyDictionary<string, StaffId> Team { get; } = new Dictionary<string, StaffId>
    {
        [RoleKeys.WealthPartner] = Wendy,
        [RoleKeys.Paraplanner] = Pat,
        [RoleKeys.ClientCareCoordinator] = Cora,
        [RoleKeys.FinancialAdvisor] = Fred,
        [RoleKeys.AssociateAdvisor] = Ava,
    };

    public static CapacityHousehold Household(int n, ServiceTier tier, int? reviewMonth, TierSupport support = default) =>
        new(new HouseholdId(n), $"HH-{n}", tier, reviewMonth, 0, support);

    /// <summary>The firm with the given households on the one team, the review and topic templates, and any others given.</summary>
    public static CapacityInput Input(IReadOnlyList<CapacityHousehold> households, ServiceSettings? settings = null, params string[] moreTemplates) => new(
        Year,
        Weekdays,
        DateTimeZoneProviders.Tzdb["America/New_York"],
        settings ?? Settings(),
        RoleKeys.Defaults,
        People,
        new Dictionary<string, StaffId> { [RoleKeys.Principal] = Paul },
        [Team],
        households,
        [],
        [.. new[] { Review, Topic }.Concat(moreTemplates).Select(Template)]);

    public static CapacityPlan Plan(CapacityInput input, CapacityOptions? options = null) =>
        CapacityModel.Build(input, options ?? new CapacityOptions()).Plan();

    public static PersonLoad Person(this CapacityPlan plan, StaffId id) => plan.People.Single(p => p.Id == id);

    public static RoleLoad Role(this CapacityPlan plan, string key) => plan.Roles.Single(r => r.Key == key);

    /// <summary>Needed hours in a month (1–12).</summary>
    public static double In(this PersonLoad person, int month) => person.Months[month - 1].Needed;

    public static double In(this RoleLoad role, int month) => role.Months[month - 1].Needed;
}
