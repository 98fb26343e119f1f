using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// Scenario 5: the web app under load, over HTTP on loopback, as integrations and browsers reach it. The app
/// runs as its own process; a .NET load client keeps a fixed number of requests in flight with API tokens.
/// "My tasks" reads one person's page of open work; completions complete a task and activate the next step.
/// </summary>
internal static class WebLoadScenario
{
    public const string Name = "5 Web load";

    private const int ReadConcurrency = 32;
    private const int WriteConcurrency = 16;
    private const int TimersPerSecond = 2;

    public static async Task<List<Figure>> RunAsync(BenchOptions options, StorageProvider provider)
    {
        var scale = options.Scale;
        var clock = SystemClock.Instance;
        await using var database = await BenchDatabase.CreateAsync(options, provider, "web");
        await Seeder.SeedAsync(database, clock, 2_000, (BenchTemplates.ChainKey + ".yaml", BenchTemplates.Chain(Scale.ChainLength)));
        var open = await TransitionScenario.StartInstancesAsync(database, clock, scale.WebInstances, "web");
        await database.AnalyzeAsync();
        var tokens = await IssueTokensAsync(database, clock);
        var assignees = await AssigneesAsync(database, clock, open);
        Console.WriteLine($"  {Format.Count(open.Count)} open tasks for {tokens.Count} people; app starting…");

        await using var app = await WebApp.StartAsync(database.Location.ConnectionString, TimeSpan.FromSeconds(60));
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = app.Address };

        var pages = options.RunsWebPart("pages") ? await PagesAsync(http, tokens["principal"], await AnyHouseholdAsync(database, clock)) : [];
        var people = tokens.Keys.Order(StringComparer.Ordinal).ToArray();
        Load? reads = null;
        (Latencies Lateness, int Unfired)? timers = null;
        if (options.RunsWebPart("reads"))
        {
            Task<bool> Read(int worker, int n) => MyTasksAsync(http, tokens[people[(worker + n) % people.Length]]);

            // Timers fall due while the reads run, two a second (a busy firm's morning), each starting a process: how late do they fire under load?
            var timerCount = (int)Math.Max(20, options.WebDuration.TotalSeconds * TimersPerSecond);
            await TimerLateness.ScheduleAsync(database, clock, timerCount, options.WebWarmUp + TimeSpan.FromSeconds(3), options.WebWarmUp + options.WebDuration - TimeSpan.FromSeconds(2));

            // Untimed first: the app's first seconds are JIT compilation and its first sweep, not what a running node costs.
            await LoadAsync(ReadConcurrency, options.WebWarmUp, Read);
            var cpu = app.ProcessorTime;
            var clientCpu = ClientProcessorTime();
            reads = await LoadAsync(ReadConcurrency, options.WebDuration, Read);
            Report("my tasks", reads, app.ProcessorTime - cpu, ClientProcessorTime() - clientCpu);
            timers = await TimerLateness.MeasureAsync(database, clock, TimeSpan.FromSeconds(30));
            Console.WriteLine($"  timers due during the reads: {Format.Count(timers.Value.Lateness.Count)} fired, {timers.Value.Unfired} not; lateness median {Format.Ms(timers.Value.Lateness.MedianMs)}, "
                + $"p99 {Format.Ms(timers.Value.Lateness.P99Ms)}, max {Format.Ms(timers.Value.Lateness.MaxMs)}");
        }

        Load? writes = null;
        if (options.RunsWebPart("writes"))
        {
            var queue = new ConcurrentQueue<(long Task, string Handle)>(assignees.Select(a => (a.Key, a.Value)));
            Task<bool> Complete(int worker, int n) => CompleteNextAsync(http, queue, tokens);

            await LoadAsync(WriteConcurrency, options.WebWarmUp, Complete);
            var cpu = app.ProcessorTime;
            var clientCpu = ClientProcessorTime();
            writes = await LoadAsync(WriteConcurrency, options.WebDuration, Complete);
            Report("task completions", writes, app.ProcessorTime - cpu, ClientProcessorTime() - clientCpu);
        }

        var figures = new List<Figure>();
        if (pages.MaxBy(p => p.Latencies.P99Ms) is { } slowest)
        {
            figures.Add(new Figure($"{Name}: pages, one at a time (slowest: {slowest.Path})", provider,
                $"p99 {Format.Ms(slowest.Latencies.P99Ms)}, median {Format.Ms(slowest.Latencies.MedianMs)}", "≤ 300 ms per page", slowest.Latencies.P99Ms <= 300, ""));
        }

        if (reads is not null)
        {
            figures.Add(new Figure($"{Name}: my tasks ({ReadConcurrency} in flight)", provider, Describe(reads), "≥ 3,000 req/s, p99 ≤ 50 ms, no errors",
                reads.PerSecond >= 3_000 && reads.Latencies.P99Ms <= 50 && reads.Errors == 0, ""));
        }

        if (timers is { } t)
        {
            figures.Add(new Figure($"{Name}: timers due during the reads ({TimersPerSecond}/s)", provider,
                $"p99 lateness {Format.Ms(t.Lateness.P99Ms)}, median {Format.Ms(t.Lateness.MedianMs)}; {Format.Count(t.Lateness.Count)} fired, {t.Unfired} not",
                "p99 ≤ 1 s", t.Unfired == 0 && t.Lateness.P99Ms <= 1_000, ""));
        }

        if (writes is not null)
        {
            figures.Add(new Figure($"{Name}: completions ({WriteConcurrency} in flight)", provider, Describe(writes), "≥ 1,000/s, p99 ≤ 50 ms, no errors",
                writes.PerSecond >= 1_000 && writes.Latencies.P99Ms <= 50 && writes.Errors == 0, ""));
        }

        return figures;
    }

    private static async Task<bool> MyTasksAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tasks/mine?limit=50");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode;
    }

    /// <summary>Completes the next task in the queue as its assignee and queues the tasks that completion activated.</summary>
    private static async Task<bool> CompleteNextAsync(HttpClient http, ConcurrentQueue<(long Task, string Handle)> queue, Dictionary<string, string> tokens)
    {
        if (!queue.TryDequeue(out var next))
        {
            return false;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{next.Task}/complete") { Content = JsonContent.Create(new { note = (string?)null }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[next.Handle]);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        foreach (var activated in body.RootElement.GetProperty("activated").EnumerateArray())
        {
            if (activated.GetProperty("assignee").GetString() is { } handle && tokens.ContainsKey(handle))
            {
                queue.Enqueue((activated.GetProperty("id").GetInt64(), handle));
            }
        }

        return true;
    }
    private sealed record PageTiming(string Path, Latencies Latencies);

    /// <summary>Each screen fetched one request at a time by the principal (who sees the most), so the time is the server's.</summary>
    private static async Task<List<PageTiming>> PagesAsync(HttpClient http, string token, string household)
    {
        string[] paths = ["/", "/households", $"/households/{household}", "/library", $"/library/{BenchTemplates.ChainKey}", "/team", "/reports"];
        var timings = new List<PageTiming>();
        foreach (var path in paths)
        {
            var latencies = new Latencies();
            for (var i = 0; i < 40; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var before = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}.");
                }

                if (i >= 5)
                {
                    latencies.Add(Stopwatch.GetTimestamp() - before);
                }
            }

            Console.WriteLine($"  page {path}: median {Format.Ms(latencies.MedianMs)}, p99 {Format.Ms(latencies.P99Ms)}");
            timings.Add(new PageTiming(path, latencies));
        }

        return timings;
    }

    private static async Task<string> AnyHouseholdAsync(BenchDatabase database, IClock clock)
    {
        await using var db = database.Open(clock);
        return await db.Households.AsNoTracking().OrderBy(h => h.Id).Select(h => h.Key).FirstAsync();
    }

    private sealed record Load(Latencies Latencies, double Seconds, int Errors)
    {
        public double PerSecond => Latencies.Count / Seconds;
    }

    /// <summary>Keeps <paramref name="concurrency"/> requests in flight for the duration; counts successes and errors.</summary>
    private static async Task<Load> LoadAsync(int concurrency, TimeSpan duration, Func<int, int, Task<bool>> send)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        var results = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var latencies = new Latencies();
            var errors = 0;
            for (var n = 0; Stopwatch.GetTimestamp() < stopAt; n++)
            {
                var before = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await send(worker, n);
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                if (ok)
                {
                    latencies.Add(Stopwatch.GetTimestamp() - before);
                }
                else
                {
                    errors++;
                }
            }

            return (latencies, errors);
        })));
        var all = new Latencies();
        foreach (var (latencies, _) in results)
        {
            all.AddRange(latencies);
        }

        return new Load(all, (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency, results.Sum(r => r.errors));
    }

    // The app's CPU per request says what a request costs even when other work shares the cores and skews the rate.
    // The load client's own CPU says how much of the two cores the measurement itself took from the app and the database.
    private static void Report(string what, Load load, TimeSpan appCpu, TimeSpan clientCpu)
    {
        var requests = Math.Max(1, load.Latencies.Count + load.Errors);
        Console.WriteLine($"  {what}: {Format.Count(load.Latencies.Count)} in {Format.Seconds(load.Seconds)} → {Format.Count(load.PerSecond)}/s; " +
            $"median {Format.Ms(load.Latencies.MedianMs)}, p99 {Format.Ms(load.Latencies.P99Ms)}, max {Format.Ms(load.Latencies.MaxMs)}, errors {load.Errors}; " +
            $"CPU per request: app {appCpu.TotalMicroseconds / requests:N0} µs, load client {clientCpu.TotalMicroseconds / requests:N0} µs");
    }

    private static TimeSpan ClientProcessorTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static string Describe(Load load) =>
        $"{Format.Count(load.PerSecond)}/s, median {Format.Ms(load.Latencies.MedianMs)}, p99 {Format.Ms(load.Latencies.P99Ms)}, {load.Errors} errors";

    /// <summary>A token for every person, written as the API would store it (only the hash).</summary>
    private static async Task<Dictionary<string, string>> IssueTokensAsync(BenchDatabase database, IClock clock)
    {
        await using var db = database.Open(clock);
        var staff = await db.Staff.AsNoTracking().Select(s => new { s.Id, s.Handle }).ToListAsync();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var person in staff)
        {
            var token = "ens_bench_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
            db.ApiTokens.Add(new ApiToken { StaffId = person.Id, Name = "bench", Hash = hash, CreatedAt = clock.GetCurrentInstant() });
            tokens[person.Handle] = token;
        }

        db.Actor = "bench";
        await db.SaveChangesAsync();
        return tokens;
    }

    private static async Task<Dictionary<long, string>> AssigneesAsync(BenchDatabase database, IClock clock, List<Ensemble.Common.TaskId> open)
    {
        await using var db = database.Open(clock);
        var rows = await db.Tasks.AsNoTracking()
            .Where(t => t.Status == Ensemble.Processes.Running.WorkTaskStatus.Open && t.AssigneeId != null)
            .Join(db.Staff, t => t.AssigneeId, s => s.Id, (t, s) => new { t.Id, s.Handle })
            .ToListAsync();
        var byTask = rows.ToDictionary(r => r.Id.Value, r => r.Handle);
        return open.Where(t => byTask.ContainsKey(t.Value)).ToDictionary(t => t.Value, t => byTask[t.Value]);
    }
}
