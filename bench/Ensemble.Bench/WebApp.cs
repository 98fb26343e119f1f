using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Ensemble.Bench;

/// <summary>The real web app as a child process on a loopback port, as a deployment runs it.</summary>
internal sealed partial class WebApp : IAsyncDisposable
{
    private readonly Process _process;

    private WebApp(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>CPU time the app's process has used so far, user and system.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<WebApp> StartAsync(string database, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[AssemblyPath(), "--db", database, "--urls", "http://127.0.0.1:0", "--demo", "false", "--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information"])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ENSEMBLE_DEMO_PASSWORD"] = "bench-password-not-secret";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the web app.");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && Listening().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                Console.Error.WriteLine($"  web: {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ready = await Task.WhenAny(listening.Task, Task.Delay(timeout), process.WaitForExitAsync());
        if (ready != listening.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The web app did not start listening in time.");
        }

        return new WebApp(process, await listening.Task);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    // bench/Ensemble.Bench/bin/<config>/net10.0 → src/Ensemble.Web/bin/<config>/net10.0, built with the bench (see its csproj).
    // ENSEMBLE_BENCH_WEB names another build of Ensemble.Web.dll, to compare two builds in one window.
    private static string AssemblyPath()
    {
        if (Environment.GetEnvironmentVariable("ENSEMBLE_BENCH_WEB") is { Length: > 0 } other)
        {
            return File.Exists(other) ? other : throw new FileNotFoundException($"ENSEMBLE_BENCH_WEB names {other}, which is missing.");
        }

        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(root, "src", "Ensemble.Web", "bin", configuration, framework, "Ensemble.Web.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the web app first: {path} is missing.");
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();
}
