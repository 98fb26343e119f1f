using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Web.Access;
using Ensemble.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Ensemble.Web.Tests.Testing;

/// <summary>
/// The real app, started in process on Kestrel (loopback, a free port) over a fresh database with the demo firm:
/// the same pipeline, limits and middleware as production, down to the 1 MB body limit. Clients connect over TCP,
/// each from a loopback address of the test's choosing, so per-address limits can be tested without interference.
/// </summary>
public sealed class EnsembleApp : WebApplicationFactory<Program>
{
    /// <summary>Every demo staff member's password (ENSEMBLE_DEMO_PASSWORD).</summary>
    public const string Password = "correct-horse-battery-9";

    public const int DemoHouseholds = 40;

    private static int _lastAddress = 9;
    private readonly TestDatabase _database;
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    private EnsembleApp(TestDatabase database)
    {
        _database = database;
    }

    public StorageProvider Provider => _database.Location.Provider;

    public DatabaseLocation Database => _database.Location;

    /// <summary>Where Kestrel listens, e.g. http://127.0.0.1:41234.</summary>
    public Uri Address { get; private set; } = null!;

    public static async Task<EnsembleApp> StartAsync(StorageProvider provider)
    {
        Environment.SetEnvironmentVariable(FirstRun.DemoPasswordVariable, Password);
        var database = await TestDatabase.CreateAsync(provider);
        var app = new EnsembleApp(database);
        try
        {
            app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

            // Runs Program to the point of serving: migrations, the demo firm and its sign-ins included.
            await Task.Run(app.StartServer);
            await app.Services.GetRequiredService<Readiness>().Prepared;
            var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
            app.Address = new Uri(addresses.Addresses.Single());
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>A context on the app's database, for arranging and checking what the API cannot show.</summary>
    public EnsembleDb OpenDb() => EnsembleDatabase.CreateContext(Database);

    /// <summary>A client that calls the API as <paramref name="handle"/> with an API token stored for them.</summary>
    public async Task<HttpClient> ClientAsAsync(string handle) => Client(bearer: await TokenForAsync(handle));

    /// <summary>An API token for <paramref name="handle"/>, stored directly (hashed) as the tokens API would.</summary>
    public async Task<string> TokenForAsync(string handle)
    {
        if (_tokens.TryGetValue(handle, out var existing))
        {
            return existing;
        }

        await using var db = OpenDb();
        var staffId = await db.Staff.Where(s => s.Handle == handle).Select(s => s.Id).SingleAsync();
        var token = ApiTokenSecrets.NewToken();
        db.Actor = "web-tests";
        db.Operation = "issue-api-token";
        db.ApiTokens.Add(new ApiToken
        {
            StaffId = staffId,
            Name = $"web tests ({handle})",
            Hash = ApiTokenSecrets.HashOf(token),
            CreatedAt = SystemClock.Instance.GetCurrentInstant(),
        });
        await db.SaveChangesAsync();
        return _tokens.GetOrAdd(handle, token);
    }

    /// <summary>
    /// A client over TCP that neither follows redirects nor (unless given a cookie jar) keeps cookies.
    /// <paramref name="from"/> is the loopback address it connects from (default 127.0.0.1).
    /// </summary>
    public HttpClient Client(string? bearer = null, IPAddress? from = null, CookieContainer? cookies = null)
    {
        var source = from ?? IPAddress.Loopback;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new CookieContainer(),
            ConnectCallback = (context, cancellationToken) => ConnectFromAsync(source, context.DnsEndPoint, cancellationToken),
        };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>A loopback address no other test has used (127.0.0.10, .11, …): a client the rate limiter has not seen.</summary>
    public static IPAddress FreshClientAddress()
    {
        var n = Interlocked.Increment(ref _lastAddress);
        return new IPAddress([127, 0, (byte)(n / 250), (byte)((n % 250) + 1)]);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("db", _database.Db);
        builder.UseSetting("demo-households", DemoHouseholds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("node", "web-tests");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress source, DnsEndPoint server, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(server, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
