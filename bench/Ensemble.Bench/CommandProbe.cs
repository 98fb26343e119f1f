using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ensemble.Bench;

/// <summary>
/// Counts the SQL commands EF Core runs and the time they take, from EF's diagnostic events, so a figure
/// can say where its time goes (statements per operation, time in the database vs. in the process).
/// Commands issued directly on the connection (the audit writer's) are not seen.
/// </summary>
internal sealed class CommandProbe : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly IDisposable _all;
    private readonly List<IDisposable> _listeners = [];
    private readonly ConcurrentDictionary<string, Stat> _byStatement = new(StringComparer.Ordinal);
    private long _commands;
    private long _commandTicks;
    private long _commits;
    private long _commitTicks;

    public CommandProbe() => _all = DiagnosticListener.AllListeners.Subscribe(this);

    /// <summary>Only events seen while enabled are counted (e.g. outside warm-up).</summary>
    public bool Enabled { get; set; }

    public string Describe(int operations)
    {
        if (operations == 0)
        {
            return "no operations";
        }

        double Per(long v) => v / (double)operations;
        double Ms(long ticks) => TimeSpan.FromTicks(ticks).TotalMilliseconds / operations;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Per(_commands):0.0} EF commands taking {Ms(_commandTicks):0.000} ms, commit {Ms(_commitTicks):0.000} ms (+3 audit-writer commands not counted)");
    }

    /// <summary>The statements that took most time, per operation.</summary>
    public IEnumerable<string> TopStatements(int operations, int count) =>
        _byStatement.OrderByDescending(kv => kv.Value.Ticks).Take(count).Select(kv => string.Create(CultureInfo.InvariantCulture,
            $"{kv.Value.Count / (double)operations,5:0.00}× {TimeSpan.FromTicks(kv.Value.Ticks).TotalMilliseconds / operations,7:0.000} ms  {kv.Key}"));

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (_listeners)
            {
                _listeners.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (!Enabled)
        {
            return;
        }

        switch (value.Value)
        {
            case CommandExecutedEventData executed:
                Interlocked.Increment(ref _commands);
                Interlocked.Add(ref _commandTicks, executed.Duration.Ticks);
                var key = Signature(executed.Command.CommandText);
                _byStatement.AddOrUpdate(key, _ => new Stat(1, executed.Duration.Ticks), (_, s) => new Stat(s.Count + 1, s.Ticks + executed.Duration.Ticks));
                break;
            case TransactionEndEventData ended when value.Key == RelationalEventId.TransactionCommitted.Name:
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _commitTicks, ended.Duration.Ticks);
                break;
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _all.Dispose();
        lock (_listeners)
        {
            foreach (var listener in _listeners)
            {
                listener.Dispose();
            }
        }
    }

    private static string Signature(string sql)
    {
        var flat = string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 90 ? flat : flat[..90] + "…";
    }

    private readonly record struct Stat(long Count, long Ticks);
}
