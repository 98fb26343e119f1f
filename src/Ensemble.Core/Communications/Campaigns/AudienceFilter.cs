using System.Text;
using Ensemble.Common;
using Ensemble.Households;
using Ensemble.ServiceModel;

namespace Ensemble.Communications.Campaigns;

/// <summary>What the audience is decided on for one household: its tier in force, tags, account types and stage.</summary>
public sealed record AudienceFacts(HouseholdId HouseholdId, ServiceTier Tier, IReadOnlyCollection<string> Tags, IReadOnlyCollection<string> AccountTypes, LifecycleStage Stage);

/// <summary>
/// Who a campaign goes to: households in any of the tiers, with any of the tags, holding any of the account types and
/// at any of the stages. Each list left empty does not narrow; every list given must hold (AND across, OR within).
/// An audience must name at least one criterion, so "everyone" is a choice (all three stages), never an accident.
/// </summary>
public sealed record AudienceFilter
{
    public const int MaxItems = 50;
    public const int ItemLength = 80;

    public AudienceFilter(IEnumerable<ServiceTier>? tiers = null, IEnumerable<string>? tags = null, IEnumerable<string>? accountTypes = null, IEnumerable<LifecycleStage>? stages = null)
    {
        Tiers = (tiers ?? []).Distinct().Order().ToList();
        Tags = (tags ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        AccountTypes = (accountTypes ?? []).Select(global::Ensemble.Households.AccountTypes.Normalize).Where(t => t.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        Stages = (stages ?? []).Distinct().Order().ToList();
    }

    public static AudienceFilter Empty { get; } = new();

    public IReadOnlyList<ServiceTier> Tiers { get; }

    /// <summary>Tags, compared without regard to case.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Normalised account types (ira, roth-ira, joint…).</summary>
    public IReadOnlyList<string> AccountTypes { get; }

    public IReadOnlyList<LifecycleStage> Stages { get; }

    public bool IsEmpty => Tiers.Count == 0 && Tags.Count == 0 && AccountTypes.Count == 0 && Stages.Count == 0;

    public bool Matches(AudienceFacts household)
    {
        ArgumentNullException.ThrowIfNull(household);
        return (Tiers.Count == 0 || Tiers.Contains(household.Tier))
            && (Stages.Count == 0 || Stages.Contains(household.Stage))
            && (Tags.Count == 0 || household.Tags.Any(t => Tags.Contains(t, StringComparer.OrdinalIgnoreCase)))
            && (AccountTypes.Count == 0 || household.AccountTypes.Any(AccountTypes.Contains));
    }

    /// <summary>In words, e.g. "tier A or B · clients · tagged golf · holding an ira or roth-ira account".</summary>
    public string Describe()
    {
        if (IsEmpty)
        {
            return "no one yet: choose tiers, tags, account types or stages";
        }

        var parts = new List<string>();
        if (Tiers.Count > 0)
        {
            parts.Add("tier " + Or(Tiers.Select(t => t == ServiceTier.Unsegmented ? "unsegmented" : t.ToString())));
        }

        if (Stages.Count > 0)
        {
            parts.Add(Or(Stages.Select(StageWord)));
        }

        if (Tags.Count > 0)
        {
            parts.Add("tagged " + Or(Tags));
        }

        if (AccountTypes.Count > 0)
        {
            parts.Add("holding a " + Or(AccountTypes) + " account");
        }

        return string.Join(" · ", parts);
    }

    /// <summary>A stable text of the criteria: the same audience always gives the same text (it is part of what an approval covers).</summary>
    public string Canonical()
    {
        var text = new StringBuilder();
        text.Append("tiers=").AppendJoin(',', Tiers)
            .Append(";stages=").AppendJoin(',', Stages)
            .Append(";tags=").AppendJoin(',', Tags.Select(t => t.ToLowerInvariant()))
            .Append(";accounts=").AppendJoin(',', AccountTypes);
        return text.ToString();
    }

    public bool Equals(AudienceFilter? other) => other is not null && Canonical() == other.Canonical();

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Canonical());

    /// <summary>
    /// Reads criteria as typed (tiers "A, B", stages "client", tags and account types as words), naming each at fault
    /// under its field (tiers, tags, accountTypes, stages).
    /// </summary>
    public static (AudienceFilter Filter, IReadOnlyList<CampaignProblem> Problems) Read(
        IEnumerable<string>? tiers, IEnumerable<string>? tags, IEnumerable<string>? accountTypes, IEnumerable<string>? stages)
    {
        var problems = new List<CampaignProblem>();
        var readTiers = new List<ServiceTier>();
        foreach (var word in Words(tiers))
        {
            if (ParseTier(word) is { } tier)
            {
                readTiers.Add(tier);
            }
            else
            {
                problems.Add(new("tiers", $"\"{word}\" is not a tier; use A, B, C or unsegmented."));
            }
        }

        var readStages = new List<LifecycleStage>();
        foreach (var word in Words(stages))
        {
            if (ParseStage(word) is { } stage)
            {
                readStages.Add(stage);
            }
            else
            {
                problems.Add(new("stages", $"\"{word}\" is not a lifecycle stage; use prospect, client or former-client."));
            }
        }

        var readTags = Words(tags).ToList();
        var readTypes = Words(accountTypes).ToList();
        Limit("tiers", readTiers.Count, problems);
        Limit("stages", readStages.Count, problems);
        Limit("tags", readTags.Count, problems);
        Limit("accountTypes", readTypes.Count, problems);
        foreach (var (field, word) in readTags.Select(t => ("tags", t)).Concat(readTypes.Select(t => ("accountTypes", t))))
        {
            if (word.Length > ItemLength)
            {
                problems.Add(new(field, $"\"{word[..20]}…\" is longer than {ItemLength} characters."));
            }
        }

        return (new AudienceFilter(readTiers, readTags, readTypes, readStages), problems);
    }

    public static ServiceTier? ParseTier(string? text) => (text ?? "").Trim().ToUpperInvariant() switch
    {
        "A" => ServiceTier.A,
        "B" => ServiceTier.B,
        "C" => ServiceTier.C,
        "UNSEGMENTED" or "NONE" => ServiceTier.Unsegmented,
        _ => null,
    };

    public static LifecycleStage? ParseStage(string? text) => (text ?? "").Trim().ToLowerInvariant().Replace('_', '-').Replace(' ', '-') switch
    {
        "prospect" or "prospects" => LifecycleStage.Prospect,
        "client" or "clients" => LifecycleStage.Client,
        "former-client" or "former-clients" or "formerclient" or "former" => LifecycleStage.FormerClient,
        _ => null,
    };

    public static string StageKey(LifecycleStage stage) => stage switch
    {
        LifecycleStage.Prospect => "prospect",
        LifecycleStage.Client => "client",
        _ => "former-client",
    };

    private static string StageWord(LifecycleStage stage) => stage switch
    {
        LifecycleStage.Prospect => "prospects",
        LifecycleStage.Client => "clients",
        _ => "former clients",
    };

    /// <summary>Splits each item on commas and semicolons too, so "A, B" and ["A", "B"] read the same.</summary>
    private static IEnumerable<string> Words(IEnumerable<string>? items) =>
        (items ?? []).SelectMany(i => (i ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static void Limit(string field, int count, List<CampaignProblem> problems)
    {
        if (count > MaxItems)
        {
            problems.Add(new(field, $"At most {MaxItems} values (this has {count})."));
        }
    }

    private static string Or(IEnumerable<string> words)
    {
        var list = words.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.SkipLast(1)) + " or " + list[^1];
    }
}
