using Ensemble.Storage;
using Ensemble.Storage.Work;

// The web application arrives with its own issue; until then this host answers a health check over
// the same database the CLI uses, so deployments can be wired and probed from day one.
var builder = WebApplication.CreateBuilder(args);
var location = EnsembleDatabase.Describe(builder.Configuration["db"]);
var app = builder.Build();

app.MapGet("/health", async (CancellationToken cancellationToken) =>
{
    await using var db = EnsembleDatabase.CreateContext(location);
    if (!await EnsembleDatabase.HasFirmAsync(db, cancellationToken))
    {
        return Results.Problem($"No firm in {location}; run `ensemble init` or `ensemble demo` first.", statusCode: 503);
    }

    var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
    return Results.Ok(new { status = "ok", firm = firm.Name, database = location.Provider.ToString() });
});

await app.RunAsync();
