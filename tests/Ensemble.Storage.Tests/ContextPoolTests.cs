using Ensemble.Storage.Access;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Testing;

namespace Ensemble.Storage.Tests;

public sealed class ContextPoolTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ARentedContext_ComesBackWithoutWhatTheLastRequestLeftInIt(StorageProvider provider)
    {
        var location = await TestDatabases.CreateAsync(provider);
        var pool = new ContextPool(location);
        var first = new FakeClock(Instant.FromUtc(2026, 11, 30, 9, 0));
        var second = new FakeClock(Instant.FromUtc(2027, 1, 4, 9, 0));

        var db = pool.Rent(first);
        db.Actor = "alice";
        db.Operation = "complete-task";
        db.ApiTokens.Add(new ApiToken { Name = "left behind", Hash = "h", CreatedAt = first.GetCurrentInstant() });
        await db.Database.BeginTransactionAsync();
        await db.DisposeAsync();

        await using var again = pool.Rent(second);

        Assert.Equal("ensemble", again.Actor);
        Assert.Null(again.Operation);
        Assert.Same(second, again.Clock);
        Assert.Empty(again.ChangeTracker.Entries());
        Assert.Null(again.Database.CurrentTransaction);
        Assert.Equal(0, await again.ApiTokens.CountAsync());
    }
}
