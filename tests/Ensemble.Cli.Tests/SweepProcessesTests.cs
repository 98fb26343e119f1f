using Ensemble.Storage;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Cli.Tests;

public sealed class SweepProcessesTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TwoSweepProcessesAtOnce_StartEachPeriodicOccurrenceExactlyOnce(StorageProvider provider)
    {
        var location = await TestDatabases.CreateEmptyAsync(provider, "sweep");
        // The second week of January: the first-quarter runs of the periodic practice processes are due.
        var cli = new Cli(location, now: "2027-01-11T15:00:00Z");
        await cli.OkAsync("init", "--name", "Sweep Test Wealth");

        var sweeps = await Task.WhenAll(cli.RunAsync("sweep"), cli.RunAsync("sweep"), cli.RunAsync("sweep"));

        Assert.All(sweeps, r => Assert.True(r.ExitCode == 0, r.All));
        await using var db = EnsembleDatabase.CreateContext(location);
        var started = await db.Instances.AsNoTracking().Where(i => i.TriggerKey != null).Select(i => i.TriggerKey!).ToListAsync();
        Assert.NotEmpty(started);
        Assert.Equal(started.Count, started.Distinct().Count());
        Assert.Contains("periodic:periodic-revenue-reconciliation:2027-Q1", started);
    }
}
