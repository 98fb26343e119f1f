using System.Globalization;

namespace Ensemble.Communications.Campaigns;

/// <summary>
/// Something wrong with what was written, named by its place: the field (camelCase, as the API and forms name it) and,
/// inside a template, the line and column (1-based).
/// </summary>
public sealed record CampaignProblem(string Field, string Message, int? Line = null, int? Column = null)
{
    /// <summary>"body:3:14" or "name".</summary>
    public string Place => Line is { } line ? string.Create(CultureInfo.InvariantCulture, $"{Field}:{line}:{Column ?? 1}") : Field;

    public override string ToString() => $"{Place}: {Message}";
}
