using Ensemble.Storage.Audit;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Audit;

public sealed class AuditTrailTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task EveryChange_IsRecordedWithActorAndBeforeAndAfter_AndTheChainVerifies(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        var work = new WorkService(s.Db, s.Clock);
        await work.StartAsync("account-review", s.Household, new Dictionary<string, LocalDate>(), "carol");
        var gather = (await s.TasksAsync()).Single();
        await work.CompleteAsync(gather.Id, "carol", "All statements in");

        var completion = await s.Db.AuditEvents.AsNoTracking()
            .Where(e => e.EntityType == "WorkTask" && e.EntityId == gather.Id.ToString() && e.Action == "updated")
            .SingleAsync();
        Assert.Equal("carol", completion.Actor);
        Assert.Equal("complete-task", completion.Operation);
        Assert.Contains("\"Status\":\"Open\"", completion.Before, StringComparison.Ordinal);
        Assert.Contains("\"Status\":\"Done\"", completion.After, StringComparison.Ordinal);
        Assert.Equal(s.Household.Value, completion.HouseholdId);

        var verification = await new AuditTrail(s.Db).VerifyAsync();
        Assert.True(verification.IsIntact, verification.Message);
        Assert.True(verification.EventsChecked > 10);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheDatabaseRefuses_UpdatesAndDeletesOfAuditEvents(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);

        await Assert.ThrowsAnyAsync<Exception>(() => s.Db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET actor = 'mallory' WHERE sequence = 1"));
        await Assert.ThrowsAnyAsync<Exception>(() => s.Db.Database.ExecuteSqlRawAsync("DELETE FROM audit_events WHERE sequence = 1"));
        Assert.True((await new AuditTrail(s.Db).VerifyAsync()).IsIntact);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Verify_NamesTheFirstEventAlteredByHand(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        await DisableGuardAsync(s.Db, provider);

        await s.Db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET actor = 'mallory' WHERE sequence = 3");

        var result = await new AuditTrail(s.Db).VerifyAsync();
        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBadSequence);
        Assert.Contains("altered", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Verify_DetectsDeletionInTheMiddle_AndTruncationAtTheEnd(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        await DisableGuardAsync(s.Db, provider);
        var last = await s.Db.AuditEvents.MaxAsync(e => e.Sequence);

        await s.Db.Database.ExecuteSqlAsync($"DELETE FROM audit_events WHERE sequence = {last}");
        var truncated = await new AuditTrail(s.Db).VerifyAsync();
        Assert.False(truncated.IsIntact);
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);

        await s.Db.Database.ExecuteSqlRawAsync("DELETE FROM audit_events WHERE sequence = 5");
        var gap = await new AuditTrail(s.Db).VerifyAsync();
        Assert.Equal(5, gap.FirstBadSequence);
        Assert.Contains("missing", gap.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Verify_DetectsSwappedEvents(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        await DisableGuardAsync(s.Db, provider);

        // Swap the contents of events 4 and 5 but keep their sequence numbers.
        await s.Db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET sequence = -4 WHERE sequence = 4");
        await s.Db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET sequence = 4 WHERE sequence = 5");
        await s.Db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET sequence = 5 WHERE sequence = -4");

        var result = await new AuditTrail(s.Db).VerifyAsync();
        Assert.False(result.IsIntact);
        Assert.Equal(4, result.FirstBadSequence);
    }

    // What someone with direct database access would have to do first; the chain still catches them.
    private static Task DisableGuardAsync(EnsembleDb db, StorageProvider provider) => provider == StorageProvider.Sqlite
        ? db.Database.ExecuteSqlRawAsync("DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;")
        : db.Database.ExecuteSqlRawAsync("ALTER TABLE audit_events DISABLE TRIGGER USER");
}
