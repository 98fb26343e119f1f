using Cronos;
using YamlDotNet.RepresentationModel;

namespace Ensemble.Processes.Templates;

internal sealed partial class TemplateReader
{
    internal const int DefaultCatchUpDays = 10;

    private static readonly string[] EventFields = ["on", "process"];

    private static readonly string[] PeriodicFields = ["every", "cron", "day", "start-month", "for", "missed", "catch-up-days", "overlap"];

    internal static readonly Dictionary<string, EventKind> Events = new(StringComparer.Ordinal)
    {
        ["household-became-client"] = EventKind.HouseholdBecameClient,
        ["account-opened"] = EventKind.AccountOpened,
        ["process-completed"] = EventKind.ProcessCompleted,
    };

    internal static readonly Dictionary<string, Cadence> Cadences = new(StringComparer.Ordinal)
    {
        ["monthly"] = Cadence.Monthly,
        ["quarterly"] = Cadence.Quarterly,
        ["semi-annual"] = Cadence.SemiAnnual,
        ["annual"] = Cadence.Annual,
    };

    internal static readonly Dictionary<string, PeriodicAudience> Audiences = new(StringComparer.Ordinal)
    {
        ["firm"] = PeriodicAudience.Firm,
        ["all-clients"] = PeriodicAudience.AllClients,
    };

    internal static readonly Dictionary<string, MissedRunPolicy> MissedPolicies = new(StringComparer.Ordinal)
    {
        ["catch-up"] = MissedRunPolicy.CatchUp,
        ["skip"] = MissedRunPolicy.Skip,
    };

    internal static readonly Dictionary<string, OverlapPolicy> OverlapPolicies = new(StringComparer.Ordinal)
    {
        ["allow"] = OverlapPolicy.Allow,
        ["skip-while-open"] = OverlapPolicy.SkipWhileOpen,
        ["cancel-previous"] = OverlapPolicy.CancelPrevious,
    };

    private List<Trigger> Triggers(Fields fields, TemplateScope scope, string? templateKey)
    {
        var triggers = new List<Trigger>();
        var node = fields.Value("triggers");
        if (node is null)
        {
            triggers.Add(new ManualTrigger());
            return triggers;
        }

        if (node is not YamlSequenceNode list)
        {
            _sink.Report(node, $"\"triggers\" must be a list, e.g. triggers: [manual], not {Fields.Describe(node)}");
            return triggers;
        }

        var number = 0;
        foreach (var item in list.Children)
        {
            number++;
            if (Trigger(item, $"trigger {number}", scope, templateKey) is { } trigger)
            {
                triggers.Add(trigger);
            }
        }

        // An empty list means the same as leaving triggers out: starting by hand is always possible.
        if (list.Children.Count == 0)
        {
            triggers.Add(new ManualTrigger());
        }

        return triggers;
    }

    private Trigger? Trigger(YamlNode node, string label, TemplateScope scope, string? templateKey)
    {
        if (node is YamlScalarNode { Value: { } word })
        {
            if (word == "manual")
            {
                return new ManualTrigger();
            }

            var hint = Events.ContainsKey(word) ? $"write it as \"on: {word}\"" : "write manual, or a trigger with on:, every: or cron:";
            _sink.Report(node, $"{label} \"{word}\" is not understood; {hint}");
            return null;
        }

        var kinds = node is YamlMappingNode mapping
            ? mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).Where(k => k is "on" or "every" or "cron").ToList()
            : [];
        if (node is YamlMappingNode && kinds.Count != 1)
        {
            _sink.Report(node, kinds.Count == 0
                ? $"{label} needs one of on:, every: or cron:"
                : $"{label} can have only one of on:, every: or cron:");
            return null;
        }

        var isEvent = kinds.Count == 1 && kinds[0] == "on";
        var fields = Fields.Read(node, label, $"{label} must be manual, or a trigger with on:, every: or cron:", isEvent ? EventFields : PeriodicFields, _sink);
        if (fields is null)
        {
            return null;
        }

        return isEvent ? EventTrigger(fields, label, templateKey) : PeriodicTrigger(fields, label, scope, kinds[0] == "cron");
    }

    private EventTrigger? EventTrigger(Fields fields, string label, string? templateKey)
    {
        var kind = Choice(fields, "on", label, Events, "add one of: " + string.Join(", ", Events.Keys));
        var process = Key(fields, "process", label, "process key", "sales-introduction", required: false);
        if (kind == EventKind.ProcessCompleted && process is null)
        {
            // An invalid key was reported by Key(); only a missing or empty one needs saying here.
            if (fields.Value("process") is null)
            {
                _sink.Report(fields.Key("process") ?? (YamlNode)fields.Node, $"{label} starts when a process completes; name it with process: <template key>");
            }

            return null;
        }

        if (kind is not null and not EventKind.ProcessCompleted && fields.Has("process"))
        {
            _sink.Report(fields.Key("process")!, $"\"process\" only applies to on: process-completed");
            return null;
        }

        if (process is not null && process == templateKey)
        {
            _sink.Report(fields.Value("process")!, $"{label} would start this template each time it completes itself, so it would never stop");
            return null;
        }

        return kind is null ? null : new EventTrigger(kind.Value, kind == EventKind.ProcessCompleted ? process : null);
    }

    private PeriodicTrigger? PeriodicTrigger(Fields fields, string label, TemplateScope scope, bool isCron)
    {
        Cadence? cadence = Cadence.Cron;
        string? cron = null;
        if (isCron)
        {
            cron = Text(fields, "cron", label, "add a 5-field cron expression, e.g. cron: \"0 9 * * 1\"");
            if (cron is not null && !IsValidCron(cron, out var problem))
            {
                _sink.Report(fields.Value("cron")!, $"cron \"{cron}\" in {label} is not a valid 5-field cron expression (minute hour day-of-month month day-of-week): {problem}");
                cron = null;
            }

            foreach (var field in new[] { "day", "start-month" })
            {
                if (fields.Key(field) is { } misplaced)
                {
                    _sink.Report(misplaced, $"\"{field}\" applies to every: triggers; a cron expression sets its own days");
                }
            }
        }
        else
        {
            cadence = Choice(fields, "every", label, Cadences, "add one of: " + string.Join(", ", Cadences.Keys));
        }

        var day = Int(fields, "day", label, 1, 20, 1);
        var startMonth = Int(fields, "start-month", label, 1, 12, 1);
        if (cadence == Cadence.Monthly && fields.Key("start-month") is { } unused)
        {
            _sink.Report(unused, "\"start-month\" has no effect on a monthly trigger; remove it");
        }

        var audience = Choice(fields, "for", label, Audiences, null)
            ?? (scope == TemplateScope.Firm ? PeriodicAudience.Firm : PeriodicAudience.AllClients);
        if (scope == TemplateScope.Firm && audience == PeriodicAudience.AllClients)
        {
            _sink.Report(fields.Value("for")!, "a template with scope: firm runs once for the firm; use for: firm, or scope: household to run it for every client");
        }

        var missed = Choice(fields, "missed", label, MissedPolicies, null) ?? MissedRunPolicy.CatchUp;
        var catchUpDays = Int(fields, "catch-up-days", label, 1, 366, DefaultCatchUpDays);
        if (missed == MissedRunPolicy.Skip)
        {
            if (fields.Key("catch-up-days") is { } pointless)
            {
                _sink.Report(pointless, "\"catch-up-days\" only applies with missed: catch-up");
            }

            catchUpDays = 0;
        }

        var overlap = Choice(fields, "overlap", label, OverlapPolicies, null) ?? OverlapPolicy.SkipWhileOpen;
        if (cadence is null || (isCron && cron is null))
        {
            return null;
        }

        return new PeriodicTrigger(cadence.Value, cron, isCron ? 1 : day, cadence is Cadence.Monthly or Cadence.Cron ? 1 : startMonth, missed, catchUpDays, overlap, audience);
    }

    private static bool IsValidCron(string expression, out string problem)
    {
        try
        {
            CronExpression.Parse(expression);
            problem = "";
            return true;
        }
        catch (CronFormatException e)
        {
            const string generic = "The given cron expression has an invalid format. ";
            problem = e.Message.StartsWith(generic, StringComparison.Ordinal) ? e.Message[generic.Length..] : e.Message;
            return false;
        }
    }
}
