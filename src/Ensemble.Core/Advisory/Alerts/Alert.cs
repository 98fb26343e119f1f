using Ensemble.Common;
using NodaTime;

namespace Ensemble.Advisory.Alerts;

/// <summary>
/// A rule of the advisory framework firing for one household: which variant, the values that made it fire,
/// and where it stands. At most one alert per household and rule is open at a time; once resolved it stays
/// as history and a later firing opens a new alert that links back to it.
/// </summary>
/// <remarks>
/// People move an alert on (acknowledge, follow up, snooze, resolve with a note) through the methods here,
/// which refuse illegal moves. The nightly run makes the system's moves (raise, move the variant, resolve
/// when the condition clears) in bulk; <see cref="ConditionCleared"/> and <see cref="VariantMoved"/> say
/// what it records for each.
/// </remarks>
public sealed class Alert
{
    /// <summary>The actor recorded for what the framework does by itself.</summary>
    public const string System = "ensemble";

    public const int NoteLength = 2000;

    private Alert()
    {
        RuleKey = "";
        VariantKey = "";
        TypeKey = "";
        Explanation = "";
        StatusChangedBy = System;
    }

    public Alert(HouseholdId householdId, string ruleKey, string variantKey, string typeKey, string explanation, Instant raisedAt, AlertId? previousAlertId = null, int reopenCount = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ruleKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(variantKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(typeKey);
        HouseholdId = householdId;
        RuleKey = ruleKey;
        VariantKey = variantKey;
        TypeKey = typeKey;
        Explanation = explanation;
        Status = AlertStatus.New;
        RaisedAt = raisedAt;
        StatusChangedAt = raisedAt;
        StatusChangedBy = System;
        PreviousAlertId = previousAlertId;
        ReopenCount = reopenCount;
    }

    public AlertId Id { get; private set; }

    public HouseholdId HouseholdId { get; private set; }

    /// <summary>The rule that fired, e.g. <c>mortgage.rate-ending</c>.</summary>
    public string RuleKey { get; private set; }

    /// <summary>The variant it fired at, e.g. <c>within-14-days</c>.</summary>
    public string VariantKey { get; private set; }

    /// <summary>The alert type: the canvas place it sits at (<see cref="AdvisoryRule.TypeKey"/>).</summary>
    public string TypeKey { get; private set; }

    public AlertStatus Status { get; private set; }

    /// <summary>While today is before this day the alert is hidden and the run leaves it alone; from this day it is back as it was.</summary>
    public LocalDate? SnoozedUntil { get; private set; }

    public Instant RaisedAt { get; private set; }

    public Instant StatusChangedAt { get; private set; }

    public string StatusChangedBy { get; private set; }

    /// <summary>When the run last moved it to another variant (e.g. six months left became fourteen days).</summary>
    public Instant? VariantChangedAt { get; private set; }

    public Instant? ResolvedAt { get; private set; }

    public AlertResolution? Resolution { get; private set; }

    /// <summary>What the person who resolved it wrote.</summary>
    public string? ResolutionNote { get; private set; }

    /// <summary>The values behind the variant it is at, as JSON (see <see cref="AlertExplanation"/>): set when raised, refreshed when the variant moves.</summary>
    public string Explanation { get; private set; }

    /// <summary>The last resolved alert of the same household and rule, when this one is that problem coming back.</summary>
    public AlertId? PreviousAlertId { get; private set; }

    /// <summary>How many times this household's alert for the rule has come back after being resolved.</summary>
    public int ReopenCount { get; private set; }

    /// <summary>
    /// Set when a person resolves the alert while the rule still fires: the run then does not raise the rule again
    /// for the household at the same variant until the condition has cleared once, so a decision such as "the
    /// client declined" is not undone every night. The run clears it when the condition clears.
    /// </summary>
    public bool HoldsUntilCleared { get; private set; }

    public int Version { get; private set; }

    public bool IsOpen => Status != AlertStatus.Resolved;

    /// <summary>True while a snooze hides the alert.</summary>
    public bool IsSnoozedOn(LocalDate today) => IsOpen && SnoozedUntil is { } until && until > today;

    /// <summary>Someone has seen the alert and owns it: New → Acknowledged.</summary>
    public Result<AlertChange> Acknowledge(Instant at, string by) =>
        Status == AlertStatus.New
            ? Move(AlertStatus.Acknowledged, AlertChange.Acknowledged, at, by, null)
            : Refuse("acknowledged", "only a new alert can be acknowledged");

    /// <summary>The client is being contacted about it: New or Acknowledged → In follow-up.</summary>
    public Result<AlertChange> StartFollowUp(Instant at, string by, string? note) =>
        Status is AlertStatus.New or AlertStatus.Acknowledged
            ? CheckNote(note) ?? Move(AlertStatus.InFollowUp, AlertChange.FollowUp, at, by, Clean(note))
            : Refuse("put in follow-up", "only a new or acknowledged alert can go into follow-up");

    /// <summary>Hides an open alert until a later day; its status is kept, and it is back as it was on that day.</summary>
    public Result<AlertChange> Snooze(LocalDate until, LocalDate today, Instant at, string by, string? note)
    {
        if (!IsOpen)
        {
            return Refuse("snoozed", "only an open alert can be snoozed");
        }

        if (until <= today)
        {
            return Error.Invalid($"until: snooze until a day after today ({today:uuuu-MM-dd}), not {until:uuuu-MM-dd}.");
        }

        if (CheckNote(note) is { } invalid)
        {
            return invalid;
        }

        SnoozedUntil = until;
        Version++;
        var text = $"until {until:uuuu-MM-dd}" + (Clean(note) is { } n ? $": {n}" : "");
        return new AlertChange(Id, at, by, AlertChange.Snoozed, Status, Status, text);
    }

    /// <summary>A person closes the alert, saying why (the note is required: the next advisor must be able to tell).</summary>
    public Result<AlertChange> Resolve(Instant at, string by, string? note)
    {
        if (!IsOpen)
        {
            return Refuse("resolved", "it is already resolved");
        }

        if (string.IsNullOrWhiteSpace(note))
        {
            return Error.Invalid("note: resolving an alert by hand needs a note saying what was done or why it does not apply.");
        }

        if (CheckNote(note) is { } invalid)
        {
            return invalid;
        }

        Resolution = AlertResolution.ByPerson;
        ResolutionNote = note.Trim();
        HoldsUntilCleared = true;
        ResolvedAt = at;
        return Move(AlertStatus.Resolved, AlertChange.Resolved, at, by, ResolutionNote);
    }

    /// <summary>What the run records when the rule no longer fires for an open alert: resolved by the system, condition cleared.</summary>
    public static AlertChange ConditionCleared(AlertId id, AlertStatus from, Instant at) =>
        new(id, at, System, AlertChange.Cleared, from, AlertStatus.Resolved, "the rule no longer fires for the household");

    /// <summary>What the run records when the firm's framework no longer has the rule.</summary>
    public static AlertChange RuleRemoved(AlertId id, AlertStatus from, Instant at) =>
        new(id, at, System, AlertChange.Removed, from, AlertStatus.Resolved, "the rule is no longer in the firm's framework");

    /// <summary>What the run records when the rule fires at another variant: the status is kept.</summary>
    public static AlertChange VariantMoved(AlertId id, AlertStatus status, string fromVariant, string toVariant, Instant at) =>
        new(id, at, System, AlertChange.Variant, status, status, fromVariant + AlertChange.VariantArrow + toVariant);

    private Result<AlertChange> Move(AlertStatus to, string what, Instant at, string by, string? note)
    {
        var change = new AlertChange(Id, at, by, what, Status, to, note);
        Status = to;
        StatusChangedAt = at;
        StatusChangedBy = by;

        // Acting on a snoozed alert brings it back: someone is dealing with it now.
        SnoozedUntil = null;
        Version++;
        return change;
    }

    private Error Refuse(string verb, string rule) =>
        Error.Conflict($"Alert {Id} is {AlertStatuses.Name(Status).ToLowerInvariant()} and cannot be {verb}: {rule}.");

    private static Error? CheckNote(string? note) =>
        note is { Length: > NoteLength } ? Error.Invalid($"note: at most {NoteLength:#,0} characters.") : null;

    private static string? Clean(string? note) => string.IsNullOrWhiteSpace(note) ? null : note.Trim();
}
