using Ensemble.Storage;

namespace Ensemble.Bench;

/// <summary>How big each scenario is. <c>full</c> is what the targets are stated for; <c>small</c> is a smoke run.</summary>
internal sealed record Scale(
    string Name,
    TimeSpan TransitionWarmUp,
    TimeSpan TransitionDuration,
    int TransitionInstances,
    int BulkInstances,
    int OpenTaskHouseholds,
    int TaskQueries,
    int ImportHouseholds,
    TimeSpan WebDuration,
    int WebInstances)
{
    /// <summary>Each instance of the transition template has this many steps in a row.</summary>
    public const int ChainLength = 10;

    /// <summary>Open tasks per household in the "my open tasks" scenario.</summary>
    public const int TasksPerHousehold = 10;

    public static readonly Scale Small = new("small", TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5), 1_500, 10_000, 10_000, 300, 3_000, TimeSpan.FromSeconds(5), 3_000);

    public static readonly Scale Full = new("full", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), 6_000, 100_000, 100_000, 2_000, 100_000, TimeSpan.FromSeconds(60), 20_000);
}

internal sealed record BenchOptions(
    IReadOnlyList<StorageProvider> Providers,
    Scale Scale,
    IReadOnlySet<string> Scenarios,
    IReadOnlyList<int> Workers,
    string PostgresAdmin,
    string WorkFolder,
    TimeSpan? Duration = null,
    IReadOnlySet<string>? WebParts = null,
    TimeSpan? WarmUp = null)
{
    public static readonly string[] AllWebParts = ["pages", "reads", "writes"];

    /// <summary>How long each timed load runs: the scale's duration unless <c>--duration</c> shortened it for a quick comparison.</summary>
    public TimeSpan WebDuration => Duration ?? Scale.WebDuration;

    /// <summary>
    /// Untimed load before each timed one. The default also outlasts the app's first sweep (5 s after it starts; its
    /// once-a-day passes took several CPU-seconds here), which otherwise lands in the first timed load.
    /// </summary>
    // Long enough for tiered compilation with dynamic PGO to settle: after 10 s a PostgreSQL node still spent a
    // quarter of its CPU recompiling, and its completions ran at 0.7× the rate they reached after 45 s.
    public TimeSpan WebWarmUp => WarmUp ?? TimeSpan.FromSeconds(45);

    /// <summary>True when the web scenario should run <paramref name="part"/> (all parts unless <c>--web-parts</c> named some).</summary>
    public bool RunsWebPart(string part) => WebParts is null || WebParts.Contains(part);

    public const string PostgresVariable = "ENSEMBLE_BENCH_POSTGRES";

    public const string DefaultPostgres = "Host=127.0.0.1;Port=55432;Username=postgres;Password=ensemble-test";

    public static readonly string[] AllScenarios = ["transitions", "bulk-start", "my-tasks", "import", "web", "tiers", "calendar", "capacity", "advisory-eval", "consolidate", "nightly-run", "campaign-queue", "outbox-deliver"];

    public const string Usage = """
        Ensemble benchmarks: end-to-end figures for the issue's targets.

          dotnet run -c Release --project bench/Ensemble.Bench -- [options]

          --db sqlite|postgres|both      providers to measure (default both)
          --scale small|full             small is a <60 s smoke run; full is what results.md reports (default small)
          --scenario NAME[,NAME]         transitions, bulk-start, my-tasks, import, web, tiers, calendar, capacity,
                                         advisory-eval (default all)
          --workers N[,N]                concurrent workers for the transition scenario (default 1,4)
          --duration SECONDS             how long each web load runs (default: the scale's, 60 s at full)
          --web-parts pages,reads,writes which parts of the web scenario run (default all)
          --warm-up SECONDS              untimed load before each timed web load (default 45)

        PostgreSQL: ENSEMBLE_BENCH_POSTGRES (a superuser connection; default the local test server
        Host=127.0.0.1;Port=55432;Username=postgres;Password=ensemble-test). Each scenario creates and
        drops its own database; SQLite files go under the temp folder.
        """;

    public static BenchOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var providers = new List<StorageProvider> { StorageProvider.Sqlite, StorageProvider.PostgreSql };
        var scale = Scale.Small;
        var scenarios = new HashSet<string>(AllScenarios, StringComparer.Ordinal);
        var workers = new List<int> { 1, 4 };
        TimeSpan? duration = null;
        HashSet<string>? webParts = null;
        TimeSpan? warmUp = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--db" when value is "sqlite" or "postgres" or "both":
                    providers = value switch
                    {
                        "sqlite" => [StorageProvider.Sqlite],
                        "postgres" => [StorageProvider.PostgreSql],
                        _ => [StorageProvider.Sqlite, StorageProvider.PostgreSql],
                    };
                    i++;
                    break;
                case "--scale" when value is "small" or "full":
                    scale = value == "full" ? Scale.Full : Scale.Small;
                    i++;
                    break;
                case "--scenario" when value is not null:
                    scenarios = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                    if (scenarios.FirstOrDefault(s => !AllScenarios.Contains(s)) is { } unknown)
                    {
                        error = $"Unknown scenario \"{unknown}\"; choose from {string.Join(", ", AllScenarios)}.";
                        return null;
                    }

                    i++;
                    break;
                case "--workers" when value is not null:
                    workers = [];
                    foreach (var part in value.Split(','))
                    {
                        if (!int.TryParse(part, out var n) || n < 1 || n > 64)
                        {
                            error = $"--workers takes whole numbers from 1 to 64, e.g. 1,4 (not \"{part}\").";
                            return null;
                        }

                        workers.Add(n);
                    }

                    i++;
                    break;
                case "--duration" when value is not null:
                    if (!int.TryParse(value, out var seconds) || seconds < 1 || seconds > 600)
                    {
                        error = $"--duration takes whole seconds from 1 to 600 (not \"{value}\").";
                        return null;
                    }

                    duration = TimeSpan.FromSeconds(seconds);
                    i++;
                    break;
                case "--warm-up" when value is not null:
                    if (!int.TryParse(value, out var warm) || warm < 0 || warm > 600)
                    {
                        error = $"--warm-up takes whole seconds from 0 to 600 (not \"{value}\").";
                        return null;
                    }

                    warmUp = TimeSpan.FromSeconds(warm);
                    i++;
                    break;
                case "--web-parts" when value is not null:
                    webParts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                    if (webParts.FirstOrDefault(p => !AllWebParts.Contains(p)) is { } unknownPart)
                    {
                        error = $"Unknown web part \"{unknownPart}\"; choose from {string.Join(", ", AllWebParts)}.";
                        return null;
                    }

                    i++;
                    break;
                case "--help" or "-h":
                    error = "";
                    return null;
                default:
                    error = $"Unexpected argument \"{args[i]}\".";
                    return null;
            }
        }

        var postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        return new BenchOptions(
            providers, scale, scenarios, workers,
            string.IsNullOrWhiteSpace(postgres) ? DefaultPostgres : postgres,
            Path.Combine(Path.GetTempPath(), "ensemble-bench"),
            duration,
            webParts,
            warmUp);
    }
}
