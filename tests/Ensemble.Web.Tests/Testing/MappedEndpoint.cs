using Ensemble.Web.Access;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Ensemble.Web.Tests.Testing;

/// <summary>An endpoint as the app maps it: route, methods and the access it states.</summary>
public sealed record MappedEndpoint(RouteEndpoint Endpoint)
{
    public string Route => "/" + Endpoint.RoutePattern.RawText?.TrimStart('/');

    public IReadOnlyList<string> Methods => Endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];

    public AccessKind? Access => Endpoint.Metadata.GetMetadata<AccessAttribute>()?.Kind;

    public bool IsApi => Route.StartsWith("/api/", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<string> ParameterNames => Endpoint.RoutePattern.Parameters.Select(p => p.Name);

    /// <summary>The route with each parameter replaced by <paramref name="fill"/>'s value for it (escaped).</summary>
    public string Path(Func<RoutePatternParameterPart, string> fill)
    {
        var segments = Endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => Uri.EscapeDataString(fill(parameter)),
            _ => throw new InvalidOperationException($"Unexpected route part {part} in {Route}."),
        })));
        return "/" + string.Join('/', segments);
    }

    public override string ToString() => $"{string.Join(",", Methods)} {Route}";

    public static IReadOnlyList<MappedEndpoint> All(EnsembleApp app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => new MappedEndpoint(e))
            .OrderBy(e => e.Route, StringComparer.Ordinal)
            .ToList();
}
