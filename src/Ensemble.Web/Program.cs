using Ensemble.Storage;
using Ensemble.Web.Access;
using Ensemble.Web.Api;
using Ensemble.Web.Hosting;
using Microsoft.Extensions.FileProviders;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
var settings = EnsembleSettings.From(builder.Configuration);

// Bringing the schema up to date needs only the settings, so it starts now, while the host is built and starts.
var migrating = Task.Run(() => EnsembleDatabase.MigrateAsync(settings.Database));
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = WebServices.MaxBodyBytes);
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    // Loopback only unless told otherwise: a firm's client data is not served to the network by accident.
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

// Framework chatter stays at warnings (set in code: the app may start from any folder, without appsettings.json).
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
builder.Services.AddEnsembleWeb(settings);
builder.Services.AddBackgroundWork();
builder.Services.WithoutKeyRingPreload();

var app = builder.Build();

// The database is brought up to date while the server starts; requests wait at the gate until it is.
var readiness = app.Services.GetRequiredService<Readiness>();
// On the thread pool: SQLite's "async" calls complete synchronously and would otherwise run it all right here.
var prepared = Task.Run(() => readiness.PrepareAsync(() => FirstRun.PrepareAsync(app, migrating, app.Lifetime.ApplicationStopping), app.Lifetime));

app.UseSecurityHeaders();
app.UseReadinessGate();
app.UseExceptionHandler();
app.UseStatusCodePages();
// Files are served from beside the assembly, so the app looks the same whatever folder it starts in.
app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot")) });
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UseMiddleware<AccessMiddleware>();
app.UseMiddleware<ApiAntiforgery>();
app.UseMiddleware<Idempotency>();
app.UseAuthorization();
app.UseAntiforgery();

app.MapEnsembleApi();
app.MapOpenApi("/api/openapi/{documentName}.json").WithMetadata(new AccessAttribute(AccessKind.AnyStaff));
app.MapScalarApiReference("/api/reference", options => options.WithOpenApiRoutePattern("/api/openapi/{documentName}.json"))
    .WithMetadata(new AccessAttribute(AccessKind.AnyStaff));
app.MapRazorPages();

app.Lifetime.ApplicationStarted.Register(() =>
    app.Logger.LogInformation("Ensemble is serving {Database}. Open {Urls} and sign in.", settings.Database, string.Join(", ", app.Urls)));
try
{
    await app.RunAsync();
}
catch (OperationCanceledException) when (readiness.Prepared.IsFaulted)
{
    // The database failed before the host had started, which cancelled the start; the reason follows.
}

// A database that could not be made ready stopped the app: say why, as a failed start.
await readiness.ReportFailureAsync(prepared);

/// <summary>The web host; public so tests can start it in process.</summary>
public partial class Program;
