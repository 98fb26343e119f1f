using Ensemble.Common;

namespace Ensemble.ServiceModel.Capacity;

/// <summary>How full a month (or year) is: within capacity, stretched (over 85 %), or over capacity (over 100 %).</summary>
public enum LoadFlag
{
    Ok,
    Stretched,
    Over,
}

/// <summary>
/// Hours needed against hours available for one month (1–12), or for the whole year when
/// <see cref="Month"/> is null. Utilisation is null when nobody is available: any work then is over capacity.
/// </summary>
public sealed record Load(int? Month, double Needed, double Available)
{
    /// <summary>Above this share of available hours a month is stretched.</summary>
    public const double StretchedAbove = 0.85;

    /// <summary>Above this share it is over capacity.</summary>
    public const double OverAbove = 1.0;

    public double? Utilisation
    {
        get
        {
            if (Available > 0)
            {
                return Math.Round(Needed / Available, 4);
            }

            return Needed > 0 ? null : 0d;
        }
    }

    public LoadFlag Flag => Utilisation switch
    {
        null => LoadFlag.Over,
        > OverAbove => LoadFlag.Over,
        > StretchedAbove => LoadFlag.Stretched,
        _ => LoadFlag.Ok,
    };

    /// <summary>"112 %", or "—" when nobody is available and nothing is needed, "no one available" when work is.</summary>
    public string UtilisationText => Utilisation is { } u
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{u * 100:0} %")
        : "no one available";

    public string FlagText => Flag switch
    {
        LoadFlag.Over => "over capacity",
        LoadFlag.Stretched => "stretched",
        _ => "",
    };
}

/// <summary>A role's yearly hours split by where they come from.</summary>
public sealed record HoursBySource(double Touchpoints, double Periodic, double Contact);

/// <summary>
/// One role: hours its work needs each month against the hours of the people who hold it. A person
/// holding several roles lends each the share of their hours that role's work takes of their own.
/// <see cref="Unassigned"/> is work with no one holding the role for the household or the firm.
/// </summary>
public sealed record RoleLoad(
    string Key,
    string Name,
    int Holders,
    bool FewerThanThree,
    IReadOnlyList<Load> Months,
    Load Year,
    double Unassigned,
    HoursBySource Sources);

/// <summary>One person: hours routed to them each month (through the teams they are on) against their working hours.</summary>
public sealed record PersonLoad(StaffId Id, string Handle, string Name, IReadOnlyList<string> Roles, IReadOnlyList<Load> Months, Load Year);

/// <summary>
/// The capacity plan for a year: per role and per person, month by month, with the assumptions it used.
/// <see cref="BusinessDays"/> are the working days in each month (January first) on the firm's calendar;
/// <see cref="Notes"/> say what the plan had to assume (missing templates, households without a review
/// month, work nobody holds the role for).
/// </summary>
public sealed record CapacityPlan(
    int Year,
    double HoursPerDay,
    int MinutesPerContact,
    int Households,
    IReadOnlyList<int> BusinessDays,
    IReadOnlyList<RoleLoad> Roles,
    IReadOnlyList<PersonLoad> People,
    IReadOnlyList<string> Notes)
{
    /// <summary>A role held by fewer people than this has no real cover (DESIGN.md: the rule of thumb).</summary>
    public const int MinimumHolders = 3;
}
