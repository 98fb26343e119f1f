using System.Diagnostics;
using Ensemble.Storage;

namespace Ensemble.Cli.Tests;

/// <summary>What one run of the `ensemble` program printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;
}

/// <summary>
/// Runs the real `ensemble` program as a separate process, as a user would, against one database,
/// with the clock pinned so due dates are predictable.
/// </summary>
public sealed class Cli(DatabaseLocation location, string now = "2026-11-24T15:00:00Z")
{
    // build/test.sh points this at the program published ahead-of-time compiled, as installed; else the plain build.
    private static readonly string Program = Environment.GetEnvironmentVariable("ENSEMBLE_TEST_CLI") is { Length: > 0 } published
        ? published
        : Path.Combine(AppContext.BaseDirectory, "ensemble.dll");

    public string WorkingDirectory { get; } = Directory.CreateTempSubdirectory("ensemble-cli-").FullName;

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>Starts the program and returns at once, for tests that stop it themselves.</summary>
    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = WorkingDirectory,
        };
        start.ArgumentList.Add(Program);
        start.ArgumentList.Add("--db");
        start.ArgumentList.Add(location.Provider == StorageProvider.Sqlite ? location.ToString() : location.ConnectionString);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ENSEMBLE_NOW"] = now;
        start.Environment["COLUMNS"] = "240";
        start.Environment.Remove("ENSEMBLE_USER");
        return Process.Start(start)!;
    }

    public async Task<CliResult> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"ensemble {string.Join(' ', args)} exited {result.ExitCode}:\n{result.All}");
        return result;
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(WorkingDirectory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
