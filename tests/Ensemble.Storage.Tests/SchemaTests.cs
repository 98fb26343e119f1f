using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Tests;

public sealed class SchemaTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheCheckedInMigrations_MatchTheModel(StorageProvider provider)
    {
        await using var db = EnsembleDatabase.CreateContext(await TestDatabases.CreateAsync(provider));

        Assert.False(db.Database.HasPendingModelChanges(), "The model has changed without a migration: run `dotnet ef migrations add` for both providers.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }
}
