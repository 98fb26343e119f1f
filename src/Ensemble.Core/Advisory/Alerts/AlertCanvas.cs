namespace Ensemble.Advisory.Alerts;

/// <summary>A place on the canvas: how urgent (0–100) and how much advice it needs (0–100).</summary>
public sealed record CanvasPosition(double Urgency, double Sensitivity);

/// <summary>
/// An alert type as the firm sees it: a rule's variant at its place on the canvas (the framework's default,
/// or where the firm moved it), and its rank among all types — most urgent first, then most advice-sensitive.
/// </summary>
public sealed record AlertType(
    string Key, string RuleKey, string VariantKey, string Title, string VariantLabel, string Category, double Urgency, double Sensitivity, bool Moved, int Rank);

/// <summary>The canvas: every alert type of a framework at its place, ranked.</summary>
public static class AlertCanvas
{
    /// <summary>The framework's alert types at the places the firm chose (<paramref name="moved"/>, by type key), ranked.</summary>
    public static IReadOnlyList<AlertType> Types(AdvisoryFramework framework, IReadOnlyDictionary<string, CanvasPosition> moved)
    {
        var types = new List<AlertType>();
        foreach (var rule in framework.Rules)
        {
            for (var v = 0; v < rule.Variants.Count; v++)
            {
                var variant = rule.Variants[v];
                var key = rule.TypeKey(v);
                var place = moved.TryGetValue(key, out var p) ? p : new CanvasPosition(variant.Urgency, variant.Sensitivity);
                types.Add(new AlertType(key, rule.Key, variant.Key, rule.Title, variant.Label, rule.Category, place.Urgency, place.Sensitivity, moved.ContainsKey(key), 0));
            }
        }

        return types
            .OrderByDescending(t => t.Urgency).ThenByDescending(t => t.Sensitivity).ThenBy(t => t.Key, StringComparer.Ordinal)
            .Select((t, i) => t with { Rank = i })
            .ToList();
    }

    /// <summary>Why a place is not on the canvas, or null when it is.</summary>
    public static string? Check(CanvasPosition position) =>
        position.Urgency is < 0 or > 100 || double.IsNaN(position.Urgency) ? "urgency: a number from 0 to 100."
        : position.Sensitivity is < 0 or > 100 || double.IsNaN(position.Sensitivity) ? "sensitivity: a number from 0 to 100."
        : null;
}
