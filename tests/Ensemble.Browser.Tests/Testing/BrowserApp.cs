using Ensemble.Storage;
using Ensemble.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Browser.Tests.Testing;

/// <summary>
/// The real app on Kestrel (loopback, a free port) over its own SQLite file holding the demo firm, and one headless
/// Chromium to drive it: one of each per test class. Each test opens its own browser context (its own cookies), so
/// tests share the firm but not a session. The clock is pinned, so the demo firm — and which tasks fall due when —
/// is the same on every run.
/// </summary>
public sealed class BrowserApp : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>Every demo staff member's password (the app reads it from ENSEMBLE_DEMO_PASSWORD on first run).</summary>
    public const string Password = "correct-horse-battery-9";

    public const int DemoHouseholds = 40;

    /// <summary>A Tuesday morning in New York (the demo firm's zone); the demo books tom's week off from the next Monday.</summary>
    public static readonly Instant Now = InstantPattern.ExtendedIso.Parse("2026-03-10T15:00:00Z").Value;

    /// <summary>The firm's date at <see cref="Now"/>.</summary>
    public static readonly LocalDate Today = Now.InZone(DateTimeZoneProviders.Tzdb["America/New_York"]).Date;

    private const string DemoPasswordVariable = "ENSEMBLE_DEMO_PASSWORD";

    /// <summary>Debian's Chromium; ENSEMBLE_CHROMIUM names another binary.</summary>
    private static readonly string ChromiumPath = Environment.GetEnvironmentVariable("ENSEMBLE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/lib/chromium/chromium";

    /// <summary>
    /// Building the demo firm and hashing a password for each of its staff takes seconds, so it is done once per test
    /// run, by the app itself on its first start over an empty file; every fixture's app then starts over its own copy.
    /// </summary>
    private static readonly Lazy<Task<string>> DemoFirm = new(BuildDemoFirmAsync);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ensemble-browser-tests", Guid.NewGuid().ToString("N"));
    private EnsembleFactory? _host;
    private IPlaywright? _playwright;
    private int _disposed;

    /// <summary>Where the app listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public DatabaseLocation Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Generous waits: CI runs every test project at once on a couple of cores.
        Assertions.SetDefaultExpectTimeout(15_000);
        Directory.CreateDirectory(_folder);
        var db = Path.Combine(_folder, "ensemble.db");
        Database = EnsembleDatabase.Describe(db);
        await Task.WhenAll(StartAppAsync(db), LaunchBrowserAsync());
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>Closes the browser, stops the app and deletes its database; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        DeleteFolder(_folder);
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temporary folder is cleaned up eventually.
        }
    }

    /// <summary>A context on the app's database, for finding what to aim at and checking what happened.</summary>
    public EnsembleDb OpenDb() => EnsembleDatabase.CreateContext(Database);

    /// <summary>A fresh browser context (no cookies) at desktop width, pointed at the app.</summary>
    public async Task<BrowserSession> OpenAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-US",
        });
        context.SetDefaultTimeout(15_000);

        // Page loads share two cores with the other test projects (process-killing CLI tests among them): a first
        // load after start-up can take longer than an action should.
        context.SetDefaultNavigationTimeout(45_000);
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page);
    }

    /// <summary>A fresh browser context signed in as <paramref name="handle"/> through the sign-in page, on My work.</summary>
    public async Task<BrowserSession> SignedInAsync(string handle)
    {
        var session = await OpenAsync();
        var page = session.Page;
        await page.GotoAsync("/sign-in");
        await page.GetByLabel("Handle").FillAsync(handle);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(Url("/"));
        return session;
    }

    /// <summary>The absolute address of a path on the app.</summary>
    public string Url(string path) => new Uri(Address, path).ToString();

    private static async Task<string> BuildDemoFirmAsync()
    {
        Environment.SetEnvironmentVariable(DemoPasswordVariable, Password);
        Environment.SetEnvironmentVariable(EnsembleClock.EnvironmentVariable, InstantPattern.ExtendedIso.Format(Now));
        var folder = Path.Combine(Path.GetTempPath(), "ensemble-browser-tests", $"demo-firm-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteFolder(folder);
        var db = Path.Combine(folder, "ensemble.db");
        await using (var host = new EnsembleFactory(db))
        {
            // Program runs up to serving (in memory): migrations, the demo firm, its sign-ins.
            await Task.Run(() => host.Services);
            await host.Services.GetRequiredService<Readiness>().Prepared;
        }

        SqliteConnection.ClearAllPools();
        return db;
    }

    private async Task StartAppAsync(string db)
    {
        var demo = await DemoFirm.Value;
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(demo)!, Path.GetFileName(demo) + "*"))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file).Replace(Path.GetFileName(demo), Path.GetFileName(db), StringComparison.Ordinal)));
        }

        _host = new EnsembleFactory(db);

        // Kestrel on the address the app is configured with (the "urls" setting below): loopback, a free port.
        _host.UseKestrel();

        // Runs Program up to serving; the copied database already holds the firm and its sign-ins.
        await Task.Run(_host.StartServer);
        await _host.Services.GetRequiredService<Readiness>().Prepared;
        var addresses = _host.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        Address = new Uri(addresses.Addresses.Single() + "/");
    }

    private async Task LaunchBrowserAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Program, configured for a test: its own database, a free loopback port, quiet logs.</summary>
    private sealed class EnsembleFactory(string db) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // As deployed, not as developed: no developer exception page.
            builder.UseEnvironment(Environments.Production);
            builder.UseSetting("urls", "http://127.0.0.1:0");
            builder.UseSetting("db", db);
            builder.UseSetting("demo-households", DemoHouseholds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("node", "browser-tests");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }
}

/// <summary>One browser context and its page; closing it ends the session.</summary>
public sealed class BrowserSession(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;

    public IPage Page { get; } = page;

    public ValueTask DisposeAsync() => new(Context.CloseAsync());
}
