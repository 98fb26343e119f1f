using Ensemble.Common;
using NodaTime;

namespace Ensemble.Opportunities;

/// <summary>What kind of new business an opportunity is.</summary>
public enum OpportunityKind
{
    NewAssets,
    Rollover,
    Insurance,
    Planning,
}

/// <summary>
/// The pipeline's stages. A prospect's opportunity moves through the sales phases (introduction,
/// fact finding, proposal) and onboarding; a client's opportunity starts at Identified. Won and Lost close it.
/// </summary>
public enum OpportunityStage
{
    Identified,
    Introduction,
    FactFinding,
    Proposal,
    Onboarding,
    Won,
    Lost,
}

/// <summary>Potential business with a household: what it is worth, where it stands, who moves it on.</summary>
public sealed class Opportunity
{
    private Opportunity()
    {
        Title = "";
        OwnerRole = "";
    }

    public Opportunity(HouseholdId householdId, OpportunityKind kind, string title, Money? estimatedAssets, Money? estimatedRevenue,
        OpportunityStage stage, string ownerRole, LocalDate? expectedClose, Instant openedAt, string openedBy, TouchpointId? touchpointId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerRole);
        HouseholdId = householdId;
        Kind = kind;
        Title = title.Trim();
        EstimatedAssets = estimatedAssets;
        EstimatedRevenue = estimatedRevenue;
        Stage = stage;
        OwnerRole = ownerRole;
        ExpectedClose = expectedClose;
        OpenedAt = openedAt;
        StageChangedAt = openedAt;
        OpenedBy = openedBy;
        TouchpointId = touchpointId;
    }

    public OpportunityId Id { get; private set; }

    public HouseholdId HouseholdId { get; private set; }

    public OpportunityKind Kind { get; private set; }

    public string Title { get; private set; }

    public Money? EstimatedAssets { get; private set; }

    /// <summary>Estimated yearly revenue to the firm if won.</summary>
    public Money? EstimatedRevenue { get; private set; }

    public OpportunityStage Stage { get; private set; }

    public string OwnerRole { get; private set; }

    public LocalDate? ExpectedClose { get; private set; }

    public Instant OpenedAt { get; private set; }

    public string OpenedBy { get; private set; } = "";

    public Instant StageChangedAt { get; private set; }

    public Instant? ClosedAt { get; private set; }

    public string? Note { get; private set; }

    /// <summary>The meeting that surfaced it, if any.</summary>
    public TouchpointId? TouchpointId { get; private set; }

    public int Version { get; private set; }

    public bool IsOpen => Stage is not (OpportunityStage.Won or OpportunityStage.Lost);

    public List<OpportunityStageChange> History { get; private set; } = [];

    /// <summary>Moves the opportunity to a stage, keeping the history that time-in-stage and conversion read.</summary>
    public Result<OpportunityStageChange> MoveTo(OpportunityStage stage, Instant at, string by, string? note)
    {
        if (!IsOpen)
        {
            return Error.Conflict($"The opportunity is already {Stage}; reopen it as a new one.");
        }

        if (stage == Stage)
        {
            return Error.Invalid($"The opportunity is already at {Stage}.");
        }

        var change = new OpportunityStageChange(Stage, stage, at, by, StageChangedAt);
        History.Add(change);
        Stage = stage;
        StageChangedAt = at;
        if (!IsOpen)
        {
            ClosedAt = at;
        }

        if (!string.IsNullOrWhiteSpace(note))
        {
            Note = note.Trim();
        }

        Version++;
        return change;
    }

    /// <summary>Corrects what the opportunity is and is worth; a closed one is history and stays as it was.</summary>
    public Result<Opportunity> Revise(OpportunityKind kind, string title, Money? estimatedAssets, Money? estimatedRevenue, string ownerRole, LocalDate? expectedClose)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerRole);
        if (!IsOpen)
        {
            return Error.Conflict($"The opportunity is {Stage} and closed; open a new one for new business.");
        }

        Kind = kind;
        Title = title.Trim();
        EstimatedAssets = estimatedAssets;
        EstimatedRevenue = estimatedRevenue;
        OwnerRole = ownerRole;
        ExpectedClose = expectedClose;
        Version++;
        return this;
    }

    /// <summary>The stage it was opened at: where the first move started from, or where it still is.</summary>
    public OpportunityStage OpenedAtStage() => History.Count == 0 ? Stage : History.MinBy(c => (c.At, c.Id))!.From;

    /// <summary>Every stage the opportunity has been at, in the order it got there (needs <see cref="History"/> loaded).</summary>
    public IReadOnlyList<OpportunityStage> StagesReached() =>
        [OpenedAtStage(), .. History.OrderBy(c => c.At).ThenBy(c => c.Id).Select(c => c.To)];
}

/// <summary>One move between stages; <see cref="EnteredFromAt"/> is when the previous stage began, so its length is known.</summary>
public sealed class OpportunityStageChange
{
    private OpportunityStageChange()
    {
        By = "";
    }

    internal OpportunityStageChange(OpportunityStage from, OpportunityStage to, Instant at, string by, Instant enteredFromAt)
    {
        From = from;
        To = to;
        At = at;
        By = by;
        EnteredFromAt = enteredFromAt;
    }

    public long Id { get; private set; }

    public OpportunityStage From { get; private set; }

    public OpportunityStage To { get; private set; }

    public Instant At { get; private set; }

    public string By { get; private set; }

    public Instant EnteredFromAt { get; private set; }

    public Duration TimeInPreviousStage => At - EnteredFromAt;
}
