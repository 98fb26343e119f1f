using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Ensemble.Timers.Tests;

/// <summary>
/// The real web app running as its own process (<c>dotnet Ensemble.Web.dll</c>), as one node of a deployment:
/// started with a node name, a database and extra settings, ready once it answers /api/health.
/// </summary>
public sealed partial class WebNode : IAsyncDisposable
{
    public const string DemoPassword = "timers-test-password";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebNode(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public Uri? Address { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the node has written so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a node and waits until it serves (it migrates and builds the demo firm first on an empty database).</summary>
    public static async Task<WebNode> StartAsync(string name, string database, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(WebAppDll())!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(WebAppDll());
        foreach (var (key, value) in new Dictionary<string, string>(settings) { ["db"] = database, ["urls"] = "http://127.0.0.1:0", ["node"] = name })
        {
            start.ArgumentList.Add($"--{key}");
            start.ArgumentList.Add(value);
        }

        start.Environment["ENSEMBLE_DEMO_PASSWORD"] = DemoPassword;
        start.Environment.Remove("ENSEMBLE_NOW");
        start.Environment.Remove("ENSEMBLE_DB");

        var node = new WebNode(name, new Process { StartInfo = start, EnableRaisingEvents = true });
        node._process.OutputDataReceived += (_, e) => node.Record(e.Data);
        node._process.ErrorDataReceived += (_, e) => node.Record(e.Data);
        node._process.Exited += (_, _) => node._listening.TrySetException(new InvalidOperationException($"Node {name} exited before serving:\n{node.Output}"));
        node._process.Start();
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();

        try
        {
            node.Address = await node._listening.Task.WaitAsync(timeout);
            await node.WaitUntilHealthyAsync(timeout);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Ends the process at once, as a crash or a power cut would: nothing is given back.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
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

    /// <summary>src/Ensemble.Web/bin/&lt;configuration&gt;/&lt;framework&gt;/Ensemble.Web.dll, as built with these tests.</summary>
    private static string WebAppDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Ensemble.slnx")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root?.FullName ?? "", "src", "Ensemble.Web", "bin", configuration, framework, "Ensemble.Web.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"The web app is not built at {dll}; build Ensemble.slnx in {configuration} first.");
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/api/health", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < timeout)
            {
                // Not accepting yet.
            }

            if (deadline.Elapsed > timeout || _process.HasExited)
            {
                throw new TimeoutException($"Node {Name} did not become healthy at {Address}:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (Listening().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();
}
