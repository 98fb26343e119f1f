using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Ensemble.Storage.Tests;

/// <summary>
/// Contexts run on the compiled models in src/Ensemble.Storage/CompiledModels (they save over a second of every
/// start). A compiled model is generated code: these tests fail when it no longer matches the model the code builds.
/// </summary>
public sealed class CompiledModelTests
{
    private const string Regenerate = "The compiled model is out of date: run build/compiled-models.sh.";

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ContextsRunOnTheCompiledModel(StorageProvider provider)
    {
        await using var db = EnsembleDatabase.CreateContext(await TestDatabases.CreateAsync(provider));

        Assert.IsType<RuntimeModel>(db.Model, exactMatch: false);
        Assert.StartsWith("Ensemble.Storage.CompiledModels.", db.Model.GetType().FullName, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheCompiledModel_HasTheSchemaTheCodeDescribes(StorageProvider provider)
    {
        await using var db = EnsembleDatabase.CreateContext(await TestDatabases.CreateAsync(provider));
        var built = db.GetService<IDesignTimeModel>().Model;

        Assert.Equal(Schema(built.GetRelationalModel()), Schema(db.Model.GetRelationalModel()));
    }

    // Tables with their columns (store type, nullability), keys, indexes and foreign keys, one line each, sorted.
    private static List<string> Schema(IRelationalModel model) =>
    [
        .. model.Tables.SelectMany(table => (IEnumerable<string>)
        [
            .. table.Columns.Select(c => $"{table.Name}.{c.Name} {c.StoreType} {(c.IsNullable ? "null" : "not null")}"),
            .. table.UniqueConstraints.Select(k => $"{table.Name} key {k.Name} ({string.Join(", ", k.Columns.Select(c => c.Name))})"),
            .. table.Indexes.Select(i => $"{table.Name} index {i.Name} ({string.Join(", ", i.Columns.Select(c => c.Name))}) unique {i.IsUnique} filter {i.Filter}"),
            .. table.ForeignKeyConstraints.Select(f => $"{table.Name} fk {f.Name} -> {f.PrincipalTable.Name} {f.OnDeleteAction}"),
        ]).Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheCompiledModel_StoresEveryPropertyAsTheCodeDoes(StorageProvider provider)
    {
        await using var db = EnsembleDatabase.CreateContext(await TestDatabases.CreateAsync(provider));
        var built = db.GetService<IDesignTimeModel>().Model;

        var differences = new List<string>();
        foreach (var entity in built.GetEntityTypes())
        {
            var compiled = db.Model.FindEntityType(entity.Name);
            if (compiled is null)
            {
                differences.Add($"{entity.Name} is missing");
                continue;
            }

            foreach (var property in entity.GetProperties())
            {
                var other = compiled.FindProperty(property.Name);
                var expected = Shape(property);
                var actual = other is null ? "missing" : Shape(other);
                if (expected != actual)
                {
                    differences.Add($"{entity.ShortName()}.{property.Name}: {expected} in code, {actual} compiled");
                }
            }
        }

        Assert.True(differences.Count == 0, $"{Regenerate}\n{string.Join("\n", differences)}");
    }

    // What decides how a value is stored and compared: its CLR type, the provider type its converter writes,
    // and whether a comparer tracks changes inside it.
    private static string Shape(IReadOnlyProperty property)
    {
        var converter = property.GetValueConverter();
        return $"{property.ClrType.Name} as {converter?.ProviderClrType.Name ?? "itself"}, nullable {property.IsNullable}, comparer {property.GetValueComparer() is not null}";
    }
}
