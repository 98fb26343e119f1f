using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Ensemble.Processes.Templates;

/// <summary>
/// Writes a template in the schema <see cref="TemplateLoader"/> reads. YamlDotNet's emitter decides quoting,
/// so any text survives the round trip; defaults are left out to keep files short.
/// </summary>
internal sealed class TemplateYamlWriter
{
    private readonly IEmitter _emitter;

    private TemplateYamlWriter(IEmitter emitter) => _emitter = emitter;

    public static string Write(ProcessTemplate template)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var writer = new TemplateYamlWriter(new Emitter(text, new EmitterSettings(2, int.MaxValue, false, 1024, true, true, "\n")));
        writer.Template(template);
        return text.ToString();
    }

    private void Template(ProcessTemplate t)
    {
        Emit(new StreamStart());
        Emit(new DocumentStart(null, null, true));
        Emit(new MappingStart(null, null, true, MappingStyle.Block));
        Field("key", t.Key);
        Field("name", t.Name);
        Field("category", Name(TemplateReader.Categories, t.Category));
        Field("scope", Name(TemplateReader.Scopes, t.Scope));
        Field("description", t.Description, multiline: true);
        Field("owner", t.OwnerRole);
        if (t.Anchors.Count > 0)
        {
            List("anchors", t.Anchors, SequenceStyle.Flow);
        }

        Scalar("triggers");
        Emit(new SequenceStart(null, null, true, SequenceStyle.Block));
        foreach (var trigger in t.Triggers)
        {
            Trigger(trigger, t.Scope);
        }

        Emit(new SequenceEnd());
        Scalar("steps");
        Emit(new SequenceStart(null, null, true, SequenceStyle.Block));
        foreach (var step in t.Steps)
        {
            Step(step);
        }

        Emit(new SequenceEnd());
        Emit(new MappingEnd());
        Emit(new DocumentEnd(true));
        Emit(new StreamEnd());
    }

    private void Trigger(Trigger trigger, TemplateScope scope)
    {
        switch (trigger)
        {
            case ManualTrigger:
                Scalar("manual");
                return;
            case EventTrigger e:
                Emit(new MappingStart(null, null, true, MappingStyle.Block));
                Field("on", Name(TemplateReader.Events, e.Event));
                if (e.TemplateKey is not null)
                {
                    Field("process", e.TemplateKey);
                }

                Emit(new MappingEnd());
                return;
            case PeriodicTrigger p:
                Emit(new MappingStart(null, null, true, MappingStyle.Block));
                if (p.Cadence == Cadence.Cron)
                {
                    Field("cron", p.CronExpression ?? "");
                }
                else
                {
                    Field("every", Name(TemplateReader.Cadences, p.Cadence));
                    if (p.DayOfPeriod != 1)
                    {
                        Number("day", p.DayOfPeriod);
                    }

                    if (p.StartMonth != 1 && p.Cadence != Cadence.Monthly)
                    {
                        Number("start-month", p.StartMonth);
                    }
                }

                var defaultAudience = scope == TemplateScope.Firm ? PeriodicAudience.Firm : PeriodicAudience.AllClients;
                if (p.Audience != defaultAudience)
                {
                    Field("for", Name(TemplateReader.Audiences, p.Audience));
                }

                if (p.Missed != MissedRunPolicy.CatchUp)
                {
                    Field("missed", Name(TemplateReader.MissedPolicies, p.Missed));
                }
                else if (p.CatchUpWindowDays != TemplateReader.DefaultCatchUpDays)
                {
                    Number("catch-up-days", p.CatchUpWindowDays);
                }

                if (p.Overlap != OverlapPolicy.SkipWhileOpen)
                {
                    Field("overlap", Name(TemplateReader.OverlapPolicies, p.Overlap));
                }

                Emit(new MappingEnd());
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "Unknown trigger type.");
        }
    }

    private void Step(StepDefinition s)
    {
        Emit(new MappingStart(null, null, true, MappingStyle.Block));
        Field("key", s.Key);
        Field("title", s.Title);
        Field("role", s.Role);
        if (s.Instructions.Length > 0)
        {
            Field("instructions", s.Instructions, multiline: true);
        }

        Number("minutes", s.EstimatedMinutes);
        if (s.Due is not null)
        {
            Field("due", s.Due.Text);
        }

        if (s.After.Count > 0)
        {
            List("after", s.After, SequenceStyle.Flow);
        }

        if (s.Condition is not null)
        {
            Field("when", s.Condition.Text);
        }

        if (s.Checklist.Count > 0)
        {
            List("checklist", s.Checklist, SequenceStyle.Block);
        }

        if (s.Skippable)
        {
            Scalar("skippable");
            Emit(new Scalar(null, null, "true", ScalarStyle.Plain, true, false));
        }

        Emit(new MappingEnd());
    }

    private void Field(string name, string value, bool multiline = false)
    {
        Scalar(name);
        Scalar(value, multiline && value.Contains('\n', StringComparison.Ordinal));
    }

    private void Number(string name, int value)
    {
        Scalar(name);
        Emit(new Scalar(null, null, value.ToString(CultureInfo.InvariantCulture), ScalarStyle.Plain, true, false));
    }

    private void List(string name, IEnumerable<string> values, SequenceStyle style)
    {
        Scalar(name);
        Emit(new SequenceStart(null, null, true, style));
        foreach (var value in values)
        {
            Scalar(value);
        }

        Emit(new SequenceEnd());
    }

    /// <summary>
    /// Text the emitter would leave plain but YAML tools read as null, a boolean or a number is double-quoted,
    /// so "~", "null", "yes" or "2024" stay text everywhere (the loader itself treats plain ~ and null as empty).
    /// </summary>
    private void Scalar(string value, bool literal = false)
    {
        var style = literal ? ScalarStyle.Literal : LooksTyped(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        Emit(new Scalar(null, null, value, style, true, true));
    }

    private static bool LooksTyped(string value) =>
        value.Length == 0
        || value.ToLowerInvariant() is "~" or "null" or "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n"
        || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string Name<T>(Dictionary<string, T> names, T value)
        where T : struct, Enum => names.First(n => EqualityComparer<T>.Default.Equals(n.Value, value)).Key;

    private void Emit(ParsingEvent e) => _emitter.Emit(e);
}
