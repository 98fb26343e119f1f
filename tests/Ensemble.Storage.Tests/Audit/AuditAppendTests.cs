using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Practice;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Tests.Audit;

/// <summary>How concurrent transactions extend the one audit chain: in order, without gaps, and without waiting on each other forever.</summary>
public sealed class AuditAppendTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ManyWritersAtOnce_ExtendOneUnbrokenChain_WithEveryChangeRecorded(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var before = await s.Db.AuditEvents.CountAsync();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(writer => Task.Run(async () =>
        {
            await using var db = s.OpenAnother();
            var directory = new StaffDirectory(db, s.Clock);
            for (var i = 0; i < 5; i++)
            {
                var added = await directory.AddAsync($"w{writer}n{i}", $"Writer {writer} number {i}", $"w{writer}n{i}@test.example", [RoleKeys.Paraplanner], "admin");
                Assert.True(added.IsSuccess, added.Error?.Message);
            }
        }))).WaitAsync(Patience);

        var staffCreated = await s.Db.AuditEvents.CountAsync(e => e.EntityType == nameof(Staff) && e.Action == "created" && e.Actor == "admin");
        Assert.True(staffCreated >= 30, $"Expected the 30 new staff in the trail, found {staffCreated} staff creations.");
        var verification = await new AuditTrail(s.Db).VerifyAsync();
        Assert.True(verification.IsIntact, verification.Message);
        Assert.True(verification.EventsChecked >= before + 30);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AChangeRolledBackAfterItsAuditWasWritten_LeavesNoTrace_AndTheNextChangeChainsOnCorrectly(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);

        await using (var abandoned = s.OpenAnother())
        {
            await using var transaction = await abandoned.Database.BeginTransactionAsync();
            Assert.True((await new StaffDirectory(abandoned, s.Clock).AddAsync("ghost", "Ghost", "ghost@test.example", [RoleKeys.Paraplanner], "admin")).IsSuccess);
            await transaction.RollbackAsync();
        }

        // The next writer expects the head the abandoned change left, finds it elsewhere, and chains on the real one.
        Assert.True((await new StaffDirectory(s.Db, s.Clock).AddAsync("real", "Real", "real@test.example", [RoleKeys.Paraplanner], "admin")).IsSuccess);

        Assert.False(await s.Db.AuditEvents.AnyAsync(e => e.After != null && e.After.Contains("ghost@test.example")));
        Assert.True(await s.Db.AuditEvents.AnyAsync(e => e.After != null && e.After.Contains("real@test.example")));
        var verification = await new AuditTrail(s.Db).VerifyAsync();
        Assert.True(verification.IsIntact, verification.Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ATransactionThatSavesTwice_WhileAnotherWaitsForTheChain_FinishesAndSoDoesTheOther(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        await using var first = s.OpenAnother();
        await using var second = s.OpenAnother();

        await using var transaction = await first.Database.BeginTransactionAsync();
        Assert.True((await new StaffDirectory(first, s.Clock).AddAsync("one", "One", "one@test.example", [RoleKeys.Paraplanner], "admin")).IsSuccess);

        // The second writer now waits for the chain's head, which the first holds until it commits.
        var waiting = Task.Run(() => new StaffDirectory(second, s.Clock).AddAsync("two", "Two", "two@test.example", [RoleKeys.Paraplanner], "admin"));
        await Task.Delay(300);

        // The first saves again in the same transaction: it must not queue behind the writer that is waiting for it.
        var third = await new StaffDirectory(first, s.Clock).AddAsync("three", "Three", "three@test.example", [RoleKeys.Paraplanner], "admin").WaitAsync(Patience);
        Assert.True(third.IsSuccess, third.Error?.Message);
        await transaction.CommitAsync();

        var added = await waiting.WaitAsync(Patience);
        Assert.True(added.IsSuccess, added.Error?.Message);
        var verification = await new AuditTrail(s.Db).VerifyAsync();
        Assert.True(verification.IsIntact, verification.Message);
        Assert.Equal(3, await s.Db.Staff.CountAsync(m => m.Handle == "one" || m.Handle == "two" || m.Handle == "three"));
    }

    // PostgreSQL only: SQLite's writers take turns for the whole transaction, so there is nothing to forecast.
    [Fact]
    public async Task AWriterQueuedBehindAnUncommittedAppend_ChainsOnItsForecast_WithoutReadingTheHeadAgain()
    {
        await using var s = await PracticeScenario.CreateAsync(StorageProvider.PostgreSql);
        await using var first = s.OpenAnother();
        await using var second = s.OpenAnother();
        var forecast = AuditHeadForecast.For(s.Db);

        // Households, because two of them share no row but the audit head (new staff would share the directory stamp).
        await using var transaction = await first.Database.BeginTransactionAsync();
        first.Households.Add(new Household("HH-A", "The A Household", LifecycleStage.Prospect));
        await first.SaveChangesAsync();
        var misses = forecast.Misses;

        // The second writer's forecast is the head the first has moved but not committed: it waits for that commit.
        second.Households.Add(new Household("HH-B", "The B Household", LifecycleStage.Prospect));
        var waiting = Task.Run(() => second.SaveChangesAsync());
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "The second writer did not wait for the first to commit.");
        await transaction.CommitAsync();

        await waiting.WaitAsync(Patience);
        Assert.Equal(misses, forecast.Misses);
        Assert.Equal(2, await s.Db.Households.CountAsync(h => h.Key == "HH-A" || h.Key == "HH-B"));
        var verification = await new AuditTrail(s.Db).VerifyAsync();
        Assert.True(verification.IsIntact, verification.Message);
    }
}
