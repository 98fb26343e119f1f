using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Access;

/// <summary>Deny by default is only safe if nothing relies on it by accident: every endpoint names its access.</summary>
[Collection(WebAppCollection.Name)]
public sealed class EveryEndpointStatesAnAccessRuleTests(WebApps apps)
{
    [Fact]
    public async Task EveryEndpointStatesAnAccessRule()
    {
        var app = await apps.OnAsync(StorageProvider.Sqlite);
        var endpoints = MappedEndpoint.All(app);

        Assert.Contains(endpoints, e => e.IsApi);
        Assert.Contains(endpoints, e => e.Route == "/sign-in");
        var silent = endpoints.Where(e => e.Access is null).Select(e => e.ToString()).ToList();
        Assert.True(silent.Count == 0, "Endpoints without an [Access] rule:\n  " + string.Join("\n  ", silent));
    }
}
