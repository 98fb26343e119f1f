using System.Net;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Security;

/// <summary>Pages and API answers alike forbid framing and content sniffing.</summary>
[Collection(WebAppCollection.Name)]
public sealed class SecurityHeadersTests(WebApps apps)
{
    [Theory]
    [InlineData("/sign-in")]
    [InlineData("/api/health")]
    public async Task Responses_ForbidFramingAndSniffing(string path)
    {
        var app = await apps.OnAsync(StorageProvider.Sqlite);
        using var anonymous = app.Client();

        using var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : throw new Xunit.Sdk.XunitException($"No {name} header.");
}
