namespace Ensemble.Storage.Tests;

public sealed class WalSyncTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ACommitMadeWhileAFlushRuns_WaitsForTheNextFlush()
    {
        var log = new ScriptedLog();
        var sync = new WalSync(log.Flush);

        var first = sync.AfterCommitAsync();
        await log.Started(1).WaitAsync(Patience);

        // This commit may have reached the log after the running flush began, so that flush cannot vouch for it.
        var second = sync.AfterCommitAsync();
        log.Finish(1);
        await first.WaitAsync(Patience);
        await log.Started(2).WaitAsync(Patience);
        Assert.False(second.IsCompleted);

        log.Finish(2);
        await second.WaitAsync(Patience);
        Assert.Equal(2, sync.Flushes);
    }

    [Fact]
    public async Task CommitsMadeWhileAFlushRuns_ShareTheNextFlush()
    {
        var log = new ScriptedLog();
        var sync = new WalSync(log.Flush);

        var first = sync.AfterCommitAsync();
        await log.Started(1).WaitAsync(Patience);
        var waiting = Enumerable.Range(0, 5).Select(_ => sync.AfterCommitAsync()).ToList();
        log.Finish(1);
        await log.Started(2).WaitAsync(Patience);
        log.Finish(2);

        await Task.WhenAll(waiting.Append(first)).WaitAsync(Patience);
        Assert.Equal(2, sync.Flushes);
        Assert.Equal(2, log.Calls);
    }

    [Fact]
    public async Task AFailedFlush_FailsTheCommitsItWasFor_AndTheNextCommitIsStillFlushed()
    {
        var failing = true;
        var sync = new WalSync(() =>
        {
            if (failing)
            {
                throw new IOException("The disk refused the write.");
            }
        });

        var error = await Assert.ThrowsAsync<IOException>(() => sync.AfterCommitAsync().WaitAsync(Patience));
        Assert.Equal("The disk refused the write.", error.Message);

        failing = false;
        await sync.AfterCommitAsync().WaitAsync(Patience);
        Assert.Equal(1, sync.Flushes);
    }

    /// <summary>A log whose flushes each wait until the test lets them finish.</summary>
    private sealed class ScriptedLog
    {
        private readonly List<(TaskCompletionSource Started, ManualResetEventSlim Finish)> _flushes =
            [.. Enumerable.Range(0, 4).Select(_ => (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new ManualResetEventSlim()))];

        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task Started(int flush) => _flushes[flush - 1].Started.Task;

        public void Finish(int flush) => _flushes[flush - 1].Finish.Set();

        public void Flush()
        {
            var (started, finish) = _flushes[Interlocked.Increment(ref _calls) - 1];
            started.SetResult();
            finish.Wait(Patience);
        }
    }
}
