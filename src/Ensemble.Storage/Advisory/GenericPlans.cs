namespace Ensemble.Storage.Advisory;

/// <summary>
/// On PostgreSQL, statements for a few households run on the plan kept with the prepared statement. Left to itself
/// the server plans them afresh on every call — with array parameters the kept plan is costed for ten elements and
/// looks dearer than one made for the values at hand — and for one household that planning took longer than running
/// the statements. A batch wraps its statements in <see cref="Use"/> and <see cref="Restore"/>, so the setting holds
/// for those statements only and the caller's transaction goes on with its own. Large batches (the nightly run's)
/// keep the server's choice.
/// </summary>
internal static class GenericPlans
{
    /// <summary>Households read, or changes written, up to which a batch uses the kept plan.</summary>
    public const int UpTo = 100;

    /// <summary>Notes the caller's setting, then asks for the kept plan until <see cref="Restore"/> (or the end of the transaction).</summary>
    public const string Use =
        "SELECT set_config('ensemble.plan_cache_mode', current_setting('plan_cache_mode'), true), set_config('plan_cache_mode', 'force_generic_plan', true)";

    /// <summary>Puts the caller's setting back.</summary>
    public const string Restore = "SELECT set_config('plan_cache_mode', current_setting('ensemble.plan_cache_mode'), true)";
}
