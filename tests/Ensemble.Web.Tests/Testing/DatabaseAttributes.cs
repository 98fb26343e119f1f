using System.Reflection;
using Ensemble.Storage;
using Xunit.Sdk;

namespace Ensemble.Web.Tests.Testing;

/// <summary>Runs a theory against the app on SQLite.</summary>
public sealed class OnSqliteAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StorageProvider.Sqlite]];
}

/// <summary>
/// Runs a theory against the app on PostgreSQL, or reports it skipped when <see cref="TestDatabase.PostgresVariable"/>
/// names no server (build/test.sh always sets it, so CI never skips).
/// </summary>
public sealed class OnPostgresAttribute : DataAttribute
{
    public override string? Skip
    {
        get => TestDatabase.PostgresAvailable ? null : $"{TestDatabase.PostgresVariable} is not set: no PostgreSQL server to run against.";
        set { }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StorageProvider.PostgreSql]];
}
