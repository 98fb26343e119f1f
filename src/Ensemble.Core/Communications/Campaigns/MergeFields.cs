namespace Ensemble.Communications.Campaigns;

/// <summary>One merge field a message template may use, e.g. <c>{{ person.first_name }}</c>.</summary>
public sealed record MergeField(string Path, string Description, string Example);

/// <summary>
/// The fixed set of merge fields. A template that names anything else is refused before it can be submitted, with
/// the unknown name and where it is, so a misspelt field can never go out as empty text.
/// </summary>
public static class MergeFields
{
    public static IReadOnlyList<MergeField> All { get; } =
    [
        new("household.name", "The household's name.", "The Okafor Household"),
        new("household.key", "The household's key in the firm's systems.", "HH-1001"),
        new("household.tier", "Its service tier in force today: A, B, C or Unsegmented.", "A"),
        new("person.first_name", "The first name of the household's primary member, to whom the message is addressed.", "Ada"),
        new("person.last_name", "The primary member's last name.", "Okafor"),
        new("person.full_name", "The primary member's first and last name.", "Ada Okafor"),
        new("person.email", "The primary member's email address.", "ada.okafor@mail.example"),
        new("advisor.name", "The household's wealth partner (its financial advisor when it has none) from its service team.", "Elena Marsh"),
        new("advisor.email", "That advisor's email address.", "elena@harborpoint.example"),
        new("firm.name", "The firm's name.", "Harbor Point Wealth Partners"),
        new("today", "The day the message is rendered, written out.", "November 30, 2026"),
        new("deadline", "The campaign's deadline, written out (required for Form ADV letters).", "April 30, 2027"),
    ];

    /// <summary>The objects fields hang from (household, person, advisor, firm) and their members.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlySet<string>> Objects { get; } = All
        .Where(f => f.Path.Contains('.', StringComparison.Ordinal))
        .GroupBy(f => f.Path[..f.Path.IndexOf('.', StringComparison.Ordinal)], StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(f => f.Path[(f.Path.IndexOf('.', StringComparison.Ordinal) + 1)..]).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>Fields that stand alone (today, deadline).</summary>
    internal static IReadOnlySet<string> Plain { get; } = All.Where(f => !f.Path.Contains('.', StringComparison.Ordinal)).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);

    public static bool IsKnown(string path) => All.Any(f => f.Path == path);
}

/// <summary>
/// One recipient's values for the merge fields; null means not known for this recipient. A template that would write
/// an unknown value lists the recipient as missing that field, and the message is held back rather than sent with a gap.
/// </summary>
public sealed record MergeValues(
    string HouseholdName,
    string HouseholdKey,
    string? Tier,
    string? FirstName,
    string? LastName,
    string? Email,
    string? AdvisorName,
    string? AdvisorEmail,
    string? FirmName,
    string Today,
    string? Deadline)
{
    public string? FullName => $"{FirstName} {LastName}".Trim() is { Length: > 0 } name ? name : null;

    /// <summary>The value of one field, by path; null when unknown for this recipient.</summary>
    public string? this[string path] => path switch
    {
        "household.name" => HouseholdName,
        "household.key" => HouseholdKey,
        "household.tier" => Tier,
        "person.first_name" => FirstName,
        "person.last_name" => LastName,
        "person.full_name" => FullName,
        "person.email" => Email,
        "advisor.name" => AdvisorName,
        "advisor.email" => AdvisorEmail,
        "firm.name" => FirmName,
        "today" => Today,
        "deadline" => Deadline,
        _ => null,
    };
}
