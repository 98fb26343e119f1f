using Ensemble.Storage;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ensemble.Cli.Tests;

public sealed class SweepProcessesTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TwoSweepProcessesAtOnce_StartEachPeriodicOccurrenceExactlyOnce(StorageProvider provider)
    {
        var location = provider == StorageProvider.Sqlite
            ? EnsembleDatabase.Describe(Path.Combine(Directory.CreateTempSubdirectory("ensemble-sweep-").FullName, "firm.db"))
            : await NewPostgresAsync();
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

    private static async Task<DatabaseLocation> NewPostgresAsync()
    {
        var name = "sweep_" + Guid.NewGuid().ToString("N")[..16];
        await using var admin = new NpgsqlConnection(TestDatabases.AdminConnection());
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
        await create.ExecuteNonQueryAsync();
        return EnsembleDatabase.Describe(TestDatabases.WithDatabase(name));
    }
}
