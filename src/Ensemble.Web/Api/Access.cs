using Ensemble.Web.Access;

namespace Ensemble.Web.Api;

/// <summary>Names an endpoint's access rule where it is mapped.</summary>
internal static class AccessExtensions
{
    public static TBuilder Allow<TBuilder>(this TBuilder builder, AccessKind kind)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessAttribute(kind));
}
