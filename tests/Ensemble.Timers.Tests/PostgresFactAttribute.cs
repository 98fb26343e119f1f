namespace Ensemble.Timers.Tests;

/// <summary>A test that needs a PostgreSQL server (ENSEMBLE_TEST_POSTGRES, set by build/test.sh); skipped without one.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "ENSEMBLE_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"Needs PostgreSQL: set {Variable} to a superuser connection string (build/test.sh does).";
        }
    }
}
