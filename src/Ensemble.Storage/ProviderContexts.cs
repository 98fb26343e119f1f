using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ensemble.Storage;

/// <summary>The model on SQLite: the embedded default, one file in WAL mode.</summary>
public sealed class SqliteEnsembleDb(DbContextOptions<SqliteEnsembleDb> options) : EnsembleDb(options)
{
    public override StorageProvider Provider => StorageProvider.Sqlite;
}

/// <summary>The model on PostgreSQL: the production store, shared by several web nodes.</summary>
public sealed class PostgresEnsembleDb(DbContextOptions<PostgresEnsembleDb> options) : EnsembleDb(options)
{
    public override StorageProvider Provider => StorageProvider.PostgreSql;
}

/// <summary>Lets `dotnet ef` build the SQLite model to add migrations.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteEnsembleDb>
{
    public SqliteEnsembleDb CreateDbContext(string[] args) => (SqliteEnsembleDb)EnsembleDatabase.CreateContext(EnsembleDatabase.Describe("design.db"));
}

/// <summary>Lets `dotnet ef` build the PostgreSQL model to add migrations.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresEnsembleDb>
{
    public PostgresEnsembleDb CreateDbContext(string[] args) => (PostgresEnsembleDb)EnsembleDatabase.CreateContext(EnsembleDatabase.Describe("Host=127.0.0.1;Database=design"));
}
