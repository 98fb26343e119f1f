using Ensemble.Storage;
using Ensemble.Storage.Access;

namespace Ensemble.Web.Access;

/// <summary>The signed-in staff member for this request, read once from the database so revoked roles take effect at once.</summary>
public sealed class CurrentCaller(IHttpContextAccessor http, EnsembleDb db)
{
    private Caller? _caller;
    private bool _resolved;

    public async Task<Caller?> GetAsync(CancellationToken cancellationToken = default)
    {
        if (!_resolved)
        {
            _resolved = true;
            if (http.HttpContext?.User is { } user && StaffClaims.Of(user) is { } staffId)
            {
                _caller = await new HouseholdAccess(db).CallerAsync(staffId, cancellationToken);
            }
        }

        return _caller;
    }

    /// <summary>The caller, for endpoints the access filter has already let through.</summary>
    public async Task<Caller> RequireAsync(CancellationToken cancellationToken = default) =>
        await GetAsync(cancellationToken) ?? throw new InvalidOperationException("No signed-in staff member; the access filter should have refused the request.");
}
