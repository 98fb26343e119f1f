using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Microsoft.Extensions.Caching.Memory;

namespace Ensemble.Web.Access;

/// <summary>
/// The signed-in staff member for this request. Who holds which roles is read from the database and kept
/// for a few seconds per node, so a revoked role or a departure takes effect within <see cref="Freshness"/>
/// without costing two queries on every request.
/// </summary>
public sealed class CurrentCaller(IHttpContextAccessor http, EnsembleDb db, IMemoryCache cache)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private Caller? _caller;
    private bool _resolved;

    public async Task<Caller?> GetAsync(CancellationToken cancellationToken = default)
    {
        if (!_resolved)
        {
            _resolved = true;
            if (http.HttpContext?.User is { } user && StaffClaims.Of(user) is { } staffId)
            {
                _caller = await cache.GetOrCreateAsync(Key(staffId), entry =>
                {
                    entry.AbsoluteExpirationRelativeToNow = Freshness;
                    return new HouseholdAccess(db).CallerAsync(staffId, cancellationToken);
                });
            }
        }

        return _caller;
    }

    /// <summary>The caller, for endpoints the access filter has already let through.</summary>
    public async Task<Caller> RequireAsync(CancellationToken cancellationToken = default) =>
        await GetAsync(cancellationToken) ?? throw new InvalidOperationException("No signed-in staff member; the access filter should have refused the request.");

    /// <summary>Forgets a person's access on this node at once, e.g. after their roles change.</summary>
    public static void Forget(IMemoryCache cache, StaffId staffId) => cache.Remove(Key(staffId));

    private static string Key(StaffId staffId) => $"caller:{staffId.Value}";
}
