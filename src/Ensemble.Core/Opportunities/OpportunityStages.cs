using System.Globalization;

namespace Ensemble.Opportunities;

/// <summary>
/// The order of the pipeline and the words for its stages and kinds. Forward runs Identified → Introduction →
/// Fact finding → Proposal → Onboarding → Won; Lost stands outside the order, since it can follow any stage.
/// </summary>
public static class OpportunityStages
{
    /// <summary>The stages in pipeline order, Won last; Lost is not among them.</summary>
    public static IReadOnlyList<OpportunityStage> Forward { get; } =
    [
        OpportunityStage.Identified, OpportunityStage.Introduction, OpportunityStage.FactFinding,
        OpportunityStage.Proposal, OpportunityStage.Onboarding, OpportunityStage.Won,
    ];

    /// <summary>The stages an opportunity can wait in (everything but Won and Lost), in order.</summary>
    public static IReadOnlyList<OpportunityStage> Open { get; } = Forward.Take(Forward.Count - 1).ToList();

    /// <summary>Every stage, open ones first, then Won and Lost.</summary>
    public static IReadOnlyList<OpportunityStage> All { get; } = [.. Forward, OpportunityStage.Lost];

    public static IReadOnlyList<OpportunityKind> Kinds { get; } =
        [OpportunityKind.NewAssets, OpportunityKind.Rollover, OpportunityKind.Insurance, OpportunityKind.Planning];

    /// <summary>Position along the pipeline (Identified 0 … Won 5); Lost is -1, behind everything.</summary>
    public static int Rank(OpportunityStage stage) => stage == OpportunityStage.Lost ? -1 : (int)stage;

    /// <summary>The stage after <paramref name="stage"/> in pipeline order, or null for Won and Lost.</summary>
    public static OpportunityStage? Next(OpportunityStage stage) =>
        stage is OpportunityStage.Won or OpportunityStage.Lost ? null : Forward[Rank(stage) + 1];

    /// <summary>The stage's key as typed on the command line or in a URL: identified, introduction, fact-finding…</summary>
    public static string Key(OpportunityStage stage) => stage switch
    {
        OpportunityStage.FactFinding => "fact-finding",
        _ => stage.ToString().ToLowerInvariant(),
    };

    /// <summary>The stage as a person reads it: "Fact finding".</summary>
    public static string Name(OpportunityStage stage) => stage switch
    {
        OpportunityStage.FactFinding => "Fact finding",
        _ => stage.ToString(),
    };

    public static string Key(OpportunityKind kind) => kind switch
    {
        OpportunityKind.NewAssets => "new-assets",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static string Name(OpportunityKind kind) => kind switch
    {
        OpportunityKind.NewAssets => "New assets",
        _ => kind.ToString(),
    };

    /// <summary>Reads a stage written as its key or its name, in any case: "fact-finding", "FactFinding", "fact finding".</summary>
    public static OpportunityStage? ParseStage(string? text) => Parse<OpportunityStage>(text);

    /// <summary>Reads a kind written as its key or its name, in any case: "new-assets", "NewAssets", "rollover".</summary>
    public static OpportunityKind? ParseKind(string? text) => Parse<OpportunityKind>(text);

    public static string StageChoices { get; } = string.Join(", ", All.Select(Key));

    public static string KindChoices { get; } = string.Join(", ", Kinds.Select(Key));

    private static T? Parse<T>(string? text)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var squeezed = new string(text.Where(char.IsLetterOrDigit).ToArray());

        // Names only: a number would otherwise be read as whatever value it happens to cast to.
        if (squeezed.Length == 0 || squeezed.All(char.IsDigit))
        {
            return null;
        }

        return Enum.TryParse<T>(squeezed, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : null;
    }

    /// <summary>A share as a percentage with one decimal, e.g. 0.4286 → "42.9%".</summary>
    public static string Percent(double? share) =>
        share is { } s ? (s * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";
}
