namespace Ensemble.Processes.Templates;

/// <summary>
/// Checks that span steps: unique keys, dependencies that exist, no cycles, and due rules whose
/// targets are declared and known in time. Iterative and near-linear, so templates with tens of
/// thousands of steps or very deep chains validate quickly and cannot overflow the stack.
/// </summary>
internal static class TemplateValidator
{
    /// <summary>Missing-name hints compare against every key; beyond this many, skip them to stay linear.</summary>
    private const int MaxHints = 50;

    public static void Validate(IReadOnlyList<NamedNode> anchors, IReadOnlyList<StepDraft> steps, DiagnosticSink sink)
    {
        var index = IndexSteps(steps, sink);
        foreach (var anchor in anchors)
        {
            if (index.ContainsKey(anchor.Name))
            {
                sink.Report(anchor.Node, $"anchor \"{anchor.Name}\" has the same name as a step; rename one so due rules are not ambiguous");
            }
        }

        var waitsFor = Dependencies(steps, index, sink);
        var (order, dependents) = TopologicalOrder(waitsFor);
        ReportCycles(steps, waitsFor, order, sink);
        ResolveDueRules(anchors, steps, index, waitsFor, order, dependents, sink);
    }

    private static Dictionary<string, int> IndexSteps(IReadOnlyList<StepDraft> steps, DiagnosticSink sink)
    {
        var index = new Dictionary<string, int>(steps.Count, StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (step.Key is null)
            {
                continue;
            }

            if (index.TryGetValue(step.Key, out var first))
            {
                sink.Report(step.KeyNode!, $"duplicate step key \"{step.Key}\" (first used on line {steps[first].KeyNode!.Start.Line})");
            }
            else
            {
                index.Add(step.Key, i);
            }
        }

        return index;
    }

    /// <summary>For each step, the indexes of the steps it waits for, with the node naming each.</summary>
    private static List<(int Step, NamedNode Entry)>[] Dependencies(IReadOnlyList<StepDraft> steps, Dictionary<string, int> index, DiagnosticSink sink)
    {
        var waitsFor = new List<(int, NamedNode)>[steps.Count];
        var hints = 0;
        var seen = new HashSet<int>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            waitsFor[i] = new List<(int, NamedNode)>(step.After.Count);
            seen.Clear();
            foreach (var entry in step.After)
            {
                if (!index.TryGetValue(entry.Name, out var target))
                {
                    var hint = hints++ < MaxHints ? Spelling.Hint(entry.Name, index.Keys) : "";
                    sink.Report(entry.Node, $"{step.Label} waits for \"{entry.Name}\", which is not a step of this template{hint}");
                }
                else if (!seen.Add(target))
                {
                    sink.Report(entry.Node, $"{step.Label} lists \"{entry.Name}\" more than once under after");
                }
                else
                {
                    waitsFor[i].Add((target, entry));
                }
            }
        }

        return waitsFor;
    }

    /// <summary>Kahn's algorithm: each step's position in an order where steps come after what they wait for; -1 for steps on or behind a cycle.</summary>
    private static (int[] Order, List<int>?[] Dependents) TopologicalOrder(List<(int Step, NamedNode Entry)>[] waitsFor)
    {
        var count = waitsFor.Length;
        var waiting = new int[count];
        var dependents = new List<int>?[count];
        for (var i = 0; i < count; i++)
        {
            waiting[i] = waitsFor[i].Count;
            foreach (var (target, _) in waitsFor[i])
            {
                (dependents[target] ??= []).Add(i);
            }
        }

        var order = new int[count];
        Array.Fill(order, -1);
        var ready = new Queue<int>();
        for (var i = 0; i < count; i++)
        {
            if (waiting[i] == 0)
            {
                ready.Enqueue(i);
            }
        }

        var position = 0;
        while (ready.TryDequeue(out var step))
        {
            order[step] = position++;
            foreach (var dependent in dependents[step] ?? [])
            {
                if (--waiting[dependent] == 0)
                {
                    ready.Enqueue(dependent);
                }
            }
        }

        return (order, dependents);
    }

    /// <summary>
    /// Names each cycle once. A step left out of the order always waits for another such step, so
    /// following those links from it must come back round; walks that reach an earlier walk stop, keeping it linear.
    /// </summary>
    private static void ReportCycles(IReadOnlyList<StepDraft> steps, List<(int Step, NamedNode Entry)>[] waitsFor, int[] order, DiagnosticSink sink)
    {
        var walk = new int[steps.Count];
        var positionInPath = new int[steps.Count];
        var path = new List<int>();
        var walkNumber = 0;
        for (var start = 0; start < steps.Count; start++)
        {
            if (order[start] >= 0 || walk[start] != 0)
            {
                continue;
            }

            walkNumber++;
            path.Clear();
            var current = start;
            while (true)
            {
                walk[current] = walkNumber;
                positionInPath[current] = path.Count;
                path.Add(current);
                var next = waitsFor[current].First(d => order[d.Step] < 0).Step;
                if (walk[next] == walkNumber)
                {
                    Report(steps, waitsFor, path.GetRange(positionInPath[next], path.Count - positionInPath[next]), sink);
                    break;
                }

                if (walk[next] != 0)
                {
                    break;
                }

                current = next;
            }
        }
    }

    private static void Report(IReadOnlyList<StepDraft> steps, List<(int Step, NamedNode Entry)>[] waitsFor, List<int> cycle, DiagnosticSink sink)
    {
        // Start the cycle at the step that comes first in the file, so the message does not depend on where the walk began.
        var first = cycle.IndexOf(cycle.Min());
        var ordered = cycle.Skip(first).Concat(cycle.Take(first)).ToList();
        var from = ordered[0];
        var to = ordered.Count > 1 ? ordered[1] : from;
        var entry = waitsFor[from].First(d => d.Step == to).Entry;
        if (ordered.Count == 1)
        {
            sink.Report(entry.Node, $"{steps[from].Label} waits for itself");
            return;
        }

        var names = string.Join(" → ", ordered.Append(from).Select(i => steps[i].Key));
        sink.Report(entry.Node, $"steps form a cycle: {names} (each waits for the next, so none can start)");
    }

    private static void ResolveDueRules(
        IReadOnlyList<NamedNode> anchors,
        IReadOnlyList<StepDraft> steps,
        Dictionary<string, int> index,
        List<(int Step, NamedNode Entry)>[] waitsFor,
        int[] order,
        List<int>?[] dependents,
        DiagnosticSink sink)
    {
        var anchorNames = anchors.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var hints = 0;
        IEnumerable<string> Names() => hints++ < MaxHints ? anchorNames.Concat(index.Keys) : [];

        // Rules on steps that do not wait for their target directly, grouped by target.
        var indirect = new Dictionary<int, List<int>>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (step.DueSyntax is null)
            {
                continue;
            }

            step.Due = DueRuleParser.Resolve(step.DueSyntax, step.DueText!, anchorNames, index.ContainsKey, Names, out var error);
            if (error is not null)
            {
                sink.Report(step.DueNode!, $"{step.Label}: {error}");
                continue;
            }

            if (step.Due is not AfterStep after)
            {
                continue;
            }

            var target = index[after.StepKey];
            if (target == i)
            {
                sink.Report(step.DueNode!, $"{step.Label} cannot be due after itself; count from start or from a step it waits for");
            }
            else if (order[i] >= 0 && order[target] >= 0 && !waitsFor[i].Exists(d => d.Step == target))
            {
                // Steps on a cycle have no order and the cycle is already reported, so they are not checked.
                if (!indirect.TryGetValue(target, out var group))
                {
                    indirect[target] = group = [];
                }

                group.Add(i);
            }
        }

        if (indirect.Count > 0)
        {
            CheckIndirect(steps, indirect, dependents, sink);
        }
    }

    /// <summary>
    /// One forward walk per distinct target marks every step that waits for it, directly or not:
    /// linear in the template for each target, however deep the chain.
    /// </summary>
    private static void CheckIndirect(IReadOnlyList<StepDraft> steps, Dictionary<int, List<int>> indirect, List<int>?[] dependents, DiagnosticSink sink)
    {
        var reached = new int[steps.Count];
        var stamp = 0;
        var pending = new Stack<int>();
        foreach (var (target, group) in indirect)
        {
            stamp++;
            pending.Push(target);
            while (pending.TryPop(out var current))
            {
                foreach (var next in dependents[current] ?? [])
                {
                    if (reached[next] != stamp)
                    {
                        reached[next] = stamp;
                        pending.Push(next);
                    }
                }
            }

            foreach (var i in group.Where(i => reached[i] != stamp))
            {
                var step = steps[i];
                var key = steps[target].Key;
                sink.Report(step.DueNode!,
                    $"{step.Label} is due \"{step.DueText}\", but does not wait for \"{key}\" (directly or through other steps), " +
                    $"so that date may be unknown when its task starts; add \"{key}\" under after");
            }
        }
    }
}
