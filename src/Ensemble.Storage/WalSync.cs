using System.Collections.Concurrent;

namespace Ensemble.Storage;

/// <summary>
/// Puts a SQLite database's write-ahead log on disk for every commit that asks, sharing one flush among all who asked
/// while the previous flush ran (group commit).
/// </summary>
/// <remarks>
/// A commit made with <c>synchronous=NORMAL</c> is in the log but perhaps only in the operating system's cache. Once a
/// flush that began after the commit has finished, it is on disk, as durable as a commit made with
/// <c>synchronous=FULL</c>. A flush covers every commit written before it began, so under load one flush serves many
/// commits, and none of them holds the writer's turn while the disk works.
/// </remarks>
internal sealed class WalSync
{
    private static readonly ConcurrentDictionary<string, WalSync> ByDatabase = new(StringComparer.Ordinal);

    private readonly Action _flush;
    private readonly Lock _lock = new();
    private TaskCompletionSource? _waiting;
    private bool _flushing;
    private long _flushes;

    internal WalSync(Action flush) => _flush = flush;

    /// <summary>Flushes finished so far: fewer than the commits they made durable whenever commits overlapped.</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>The log of the SQLite database file at <paramref name="databasePath"/>.</summary>
    public static WalSync For(string databasePath) =>
        ByDatabase.GetOrAdd(Path.GetFullPath(databasePath), path => new WalSync(() => FlushLog(path + "-wal")));

    /// <summary>Completes once a flush that began after this call has finished.</summary>
    public Task AfterCommitAsync()
    {
        TaskCompletionSource waiting;
        var lead = false;
        lock (_lock)
        {
            waiting = _waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_flushing)
            {
                _flushing = true;
                lead = true;
            }
        }

        if (lead)
        {
            // The flush blocks, so it runs off the caller's thread, and on until no one is waiting.
            _ = Task.Run(FlushWhileAsked);
        }

        return waiting.Task;
    }

    private void FlushWhileAsked()
    {
        while (true)
        {
            TaskCompletionSource? batch;
            lock (_lock)
            {
                // Whoever asks from here on joins the next batch: this flush may have begun before their commit.
                batch = _waiting;
                _waiting = null;
                if (batch is null)
                {
                    _flushing = false;
                    return;
                }
            }

            try
            {
                _flush();
                Interlocked.Increment(ref _flushes);
                batch.SetResult();
            }
            catch (Exception ex)
            {
                // Those waiting learn their commits may not be on disk; the loop goes on for those who ask next.
                batch.SetException(ex);
            }
        }
    }

    private static void FlushLog(string walPath)
    {
        try
        {
            // Only fsync is wanted: nothing is written through this handle. (SQLite locks the shared-memory file and the
            // database, not the log, so opening and closing the log here does not disturb its locks.)
            using var log = new FileStream(walPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            log.Flush(flushToDisk: true);
        }
        catch (FileNotFoundException)
        {
            // The last connection closed and checkpointed the log into the database, which SQLite syncs as it does so.
        }
    }
}
