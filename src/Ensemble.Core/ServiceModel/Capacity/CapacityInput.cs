using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Processes.Templates;
using NodaTime;

namespace Ensemble.ServiceModel.Capacity;

/// <summary>A person whose hours the plan counts: the roles they hold and the days they are away.</summary>
public sealed record CapacityPerson(StaffId Id, string Handle, string Name, IReadOnlyList<string> Roles, IReadOnlyList<Absence> Absences);

/// <summary>
/// A client household as capacity sees it: its tier in force, its review month (null when not yet
/// chosen) and the index of its service team in <see cref="CapacityInput.Teams"/> (-1 when it has no
/// team of its own and all its work falls to firm-level holders). <see cref="Support"/> is only needed
/// by the "move the N closest households" what-if.
/// </summary>
public sealed record CapacityHousehold(HouseholdId Id, string Key, ServiceTier Tier, int? ReviewMonth, int Team, TierSupport Support = default);

/// <summary>How many of the eight criteria support each tier (from a <see cref="TierDecision"/>).</summary>
public readonly record struct TierSupport(int A, int B, int C)
{
    public static TierSupport From(TierDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new(decision.CountFor(ServiceTier.A), decision.CountFor(ServiceTier.B), decision.CountFor(ServiceTier.C));
    }

    public int For(ServiceTier tier) => tier switch
    {
        ServiceTier.A => A,
        ServiceTier.B => B,
        ServiceTier.C => C,
        _ => 0,
    };
}

/// <summary>A meeting already laid out in the service calendar (cancelled ones are left out by the caller).</summary>
public sealed record StoredTouchpoint(HouseholdId Household, TouchpointKind Kind, LocalDate Date, int Minutes, StaffId? Advisor);

/// <summary>
/// Everything the capacity plan reads, already loaded: the firm's calendar and service model, its
/// roles and people, who holds which role on each team, the client households, any touchpoints laid
/// out for the year, and the latest version of every template.
/// <see cref="Teams"/> are the distinct household teams (role key → the person who does that role's
/// work); households point at one by index. <see cref="FirmTeam"/> holds the firm-level holders: firm
/// work, and roles a household team lacks. <see cref="Touchpoints"/> are the meetings stored for the
/// service year; a household with any is planned from them instead of from its tier.
/// </summary>
public sealed record CapacityInput(
    int Year,
    BusinessCalendar Calendar,
    DateTimeZone Zone,
    ServiceSettings Settings,
    IReadOnlyList<Role> Roles,
    IReadOnlyList<CapacityPerson> People,
    IReadOnlyDictionary<string, StaffId> FirmTeam,
    IReadOnlyList<IReadOnlyDictionary<string, StaffId>> Teams,
    IReadOnlyList<CapacityHousehold> Households,
    IReadOnlyList<StoredTouchpoint> Touchpoints,
    IReadOnlyList<ProcessTemplate> Templates);

/// <summary>
/// The planning assumptions a firm may change: productive hours in a working day, how long one
/// between-meetings contact takes, and which role makes the contacts for each tier.
/// </summary>
public sealed record CapacityOptions
{
    public const double DefaultHoursPerDay = 6;

    public const int DefaultMinutesPerContact = 15;

    /// <summary>
    /// Who makes between-meeting contact, following the periodic contact process: the wealth partner
    /// calls A households, the financial advisor B households, the coordinator sends C households a note.
    /// </summary>
    public static IReadOnlyDictionary<ServiceTier, string> DefaultContactRoles { get; } = new Dictionary<ServiceTier, string>
    {
        [ServiceTier.A] = RoleKeys.WealthPartner,
        [ServiceTier.B] = RoleKeys.FinancialAdvisor,
        [ServiceTier.C] = RoleKeys.ClientCareCoordinator,
    };

    /// <summary>Hours a person can give to client work on a working day (the rest goes to meetings, email, training).</summary>
    public double HoursPerDay { get; init; } = DefaultHoursPerDay;

    public int MinutesPerContact { get; init; } = DefaultMinutesPerContact;

    public IReadOnlyDictionary<ServiceTier, string> ContactRoles { get; init; } = DefaultContactRoles;

    /// <summary>Options checked at the boundary; the messages name the option at fault.</summary>
    public static Result<CapacityOptions> Create(double? hoursPerDay = null, int? minutesPerContact = null)
    {
        var hours = hoursPerDay ?? DefaultHoursPerDay;
        if (double.IsNaN(hours) || hours <= 0 || hours > 24)
        {
            return Error.Invalid($"hoursPerDay: productive hours per day are more than 0 and at most 24, not {hours}.");
        }

        var minutes = minutesPerContact ?? DefaultMinutesPerContact;
        if (minutes is < 1 or > 480)
        {
            return Error.Invalid($"minutesPerContact: one contact takes 1 to 480 minutes, not {minutes}.");
        }

        return new CapacityOptions { HoursPerDay = hours, MinutesPerContact = minutes };
    }
}
