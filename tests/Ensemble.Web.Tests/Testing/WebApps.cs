using System.Collections.Concurrent;
using Ensemble.Storage;

namespace Ensemble.Web.Tests.Testing;

/// <summary>
/// One running app per database provider, started when a test first asks for it and shared by the whole
/// collection: starting one (migrations and a demo firm) costs seconds, a test costs milliseconds. Tests in
/// the collection run one at a time and each arranges its own data (fresh households, processes, tokens,
/// client addresses), so they do not depend on one another's order.
/// </summary>
public sealed class WebApps : IAsyncLifetime
{
    private readonly ConcurrentDictionary<StorageProvider, Lazy<Task<EnsembleApp>>> _apps = new();

    public Task<EnsembleApp> OnAsync(StorageProvider provider) =>
        _apps.GetOrAdd(provider, p => new Lazy<Task<EnsembleApp>>(() => StartAsync(p))).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps.Values.Where(a => a.IsValueCreated && a.Value.IsCompletedSuccessfully))
        {
            await (await app.Value).DisposeAsync();
        }
    }

    private static async Task<EnsembleApp> StartAsync(StorageProvider provider)
    {
        var app = await EnsembleApp.StartAsync(provider);
        await ForeignHousehold.CreateAsync(app);
        return app;
    }
}

[CollectionDefinition(Name)]
public sealed class WebAppCollection : ICollectionFixture<WebApps>
{
    public const string Name = "The web app";
}
