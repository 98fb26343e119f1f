using NodaTime;

namespace Ensemble.Processes.Templates;

/// <summary>
/// When a task falls due. Written in templates as a short sentence:
/// <c>3 business days after start</c>, <c>2 business days after collect-documents</c>,
/// <c>7 days before meeting</c>, <c>1 business day after meeting</c>, <c>on meeting</c>.
/// </summary>
public abstract record DueRule(string Text)
{
    public sealed override string ToString() => Text;
}

/// <summary>N business days after the instance started.</summary>
public sealed record AfterStart(int BusinessDays, string Text) : DueRule(Text);

/// <summary>N business days after the named step was completed (or skipped).</summary>
public sealed record AfterStep(string StepKey, int BusinessDays, string Text) : DueRule(Text);

/// <summary>
/// Relative to a date carried by the instance (e.g. the meeting date). Negative offsets are before.
/// Calendar days unless <see cref="BusinessDays"/>; a calendar result that lands on a closed day moves
/// to the business day before it when counting backwards, after it when counting forwards.
/// </summary>
public sealed record RelativeToAnchor(string Anchor, int Offset, bool BusinessDays, string Text) : DueRule(Text);

/// <summary>Inputs a due rule needs to become a date.</summary>
public sealed record DueContext(
    LocalDate StartedOn,
    IReadOnlyDictionary<string, LocalDate> Anchors,
    IReadOnlyDictionary<string, LocalDate> StepsCompletedOn);
