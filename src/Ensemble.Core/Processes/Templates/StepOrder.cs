namespace Ensemble.Processes.Templates;

/// <summary>
/// Steps in an order where each comes after the steps it waits for, and each step's column (dependency depth)
/// for drawing. Iterative, so deep chains cannot overflow the stack.
/// </summary>
internal sealed class StepOrder
{
    private StepOrder(int[] order, int[] depth, List<int>[] prerequisites)
    {
        Order = order;
        Depth = depth;
        Prerequisites = prerequisites;
    }

    /// <summary>Indexes into <see cref="ProcessTemplate.Steps"/>, prerequisites first.</summary>
    public IReadOnlyList<int> Order { get; }

    /// <summary>By step index: 0 for steps that wait for nothing, else one more than the deepest step waited for.</summary>
    public IReadOnlyList<int> Depth { get; }

    /// <summary>By step index: the indexes of the steps it waits for that exist in the template.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Prerequisites { get; }

    /// <summary>
    /// Kahn's algorithm, taking ready steps in file order so the result reads like the file. A loaded template
    /// has no cycles or unknown keys; for a hand-built one, unknown keys are ignored and steps on a cycle come last.
    /// </summary>
    public static StepOrder Of(ProcessTemplate template)
    {
        var steps = template.Steps;
        var index = new Dictionary<string, int>(steps.Count, StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            index.TryAdd(steps[i].Key, i);
        }

        var prerequisites = new List<int>[steps.Count];
        var dependents = new List<int>?[steps.Count];
        var waiting = new int[steps.Count];
        var ready = new PriorityQueue<int, int>();
        for (var i = 0; i < steps.Count; i++)
        {
            prerequisites[i] = [];
            foreach (var key in steps[i].After)
            {
                if (index.TryGetValue(key, out var p))
                {
                    prerequisites[i].Add(p);
                    (dependents[p] ??= []).Add(i);
                }
            }

            waiting[i] = prerequisites[i].Count;
            if (waiting[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        var order = new List<int>(steps.Count);
        var placed = new bool[steps.Count];
        while (ready.TryDequeue(out var step, out _))
        {
            order.Add(step);
            placed[step] = true;
            foreach (var dependent in dependents[step] ?? [])
            {
                if (--waiting[dependent] == 0)
                {
                    ready.Enqueue(dependent, dependent);
                }
            }
        }

        for (var i = 0; i < steps.Count && order.Count < steps.Count; i++)
        {
            if (!placed[i])
            {
                order.Add(i);
            }
        }

        var depth = new int[steps.Count];
        foreach (var step in order)
        {
            foreach (var p in prerequisites[step])
            {
                depth[step] = Math.Max(depth[step], depth[p] + 1);
            }
        }

        return new StepOrder([.. order], depth, prerequisites);
    }
}
