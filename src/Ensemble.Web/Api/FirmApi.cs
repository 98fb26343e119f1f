using Ensemble.Practice;
using Ensemble.Storage;
using Ensemble.Storage.Import;
using Ensemble.Storage.Practice;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Web.Api;

/// <summary>The firm itself: calendar, roles and who sees the whole firm, imports, and running the sweep on demand.</summary>
internal static class FirmApi
{
    /// <summary>A whole book of households in one CSV file is larger than any other request.</summary>
    public const long MaxImportBytes = 200L * 1024 * 1024;

    public sealed record FirmView(string Name, string TimeZone, LocalDate Today, IReadOnlyList<IsoDayOfWeek> WeekendDays, bool UsesUsMarketHolidays, IReadOnlyList<LocalDate> ExtraHolidays);

    public sealed record HolidayRequest(string? Date);

    public sealed record NewRole(string? Key, string? Name, string? Description, RoleScope? Scope);

    public sealed record FirmWideRequest(bool? SeesWholeFirm);

    public static void Map(RouteGroupBuilder api)
    {
        var firm = api.MapGroup("/firm").WithTags("Firm");
        firm.MapGet("/", Get).Allow(AccessKind.AnyStaff).WithSummary("The firm, its time zone and business calendar.");
        firm.MapPost("/holidays", AddHoliday).Allow(AccessKind.ManagePractice).WithSummary("Add a closure day; due dates skip it from now on.");
        firm.MapPost("/sweep", RunSweep).Allow(AccessKind.ManagePractice).WithSummary("Flag overdue work and start periodic processes now (it also runs in the background).");
        firm.MapPost("/import/{kind}", Import).Allow(AccessKind.ManagePractice)
            .WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes))
            .WithSummary("Import households, members, accounts or policies from CSV (text/csv body); all or nothing, safe to re-run.");

        var roles = api.MapGroup("/roles").WithTags("Staff");
        roles.MapPost("/", AddRole).Allow(AccessKind.ManagePractice).WithSummary("Add a role of the firm's own.");
        roles.MapPut("/{role}/firm-wide", SetFirmWide).Allow(AccessKind.ManagePractice).WithSummary("Say whether holders of a role see every household.");
    }

    private static async Task<IResult> Get(EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var f = await WorkContextLoader.FirmAsync(db, cancellationToken);
        return Results.Ok(new FirmView(f.Name, f.TimeZoneId, f.Today(clock), f.WeekendDays, f.UsesUsMarketHolidays, f.ExtraHolidays));
    }

    private static async Task<IResult> AddHoliday(HolidayRequest? body, CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        var date = LocalDatePattern.Iso.Parse(body?.Date ?? "");
        if (!date.Success)
        {
            return Problems.Invalid(("date", "A date such as 2026-12-24."));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        return Problems.Of(await new FirmSetup(db).AddHolidayAsync(date.Value, caller.Handle, cancellationToken), f => Results.Ok(new { f.ExtraHolidays }));
    }

    private static async Task<IResult> RunSweep(CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        return Results.Ok(await new Sweep(db, clock).RunAsync(caller.Handle, cancellationToken));
    }

    private static async Task<IResult> Import(string kind, HttpRequest request, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<ImportKind>(kind, ignoreCase: true, out var what) || int.TryParse(kind, out _))
        {
            return Problems.Invalid(("kind", "Import households, members, accounts or policies."));
        }

        if (request.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Invalid(("body", "Send the CSV file as the request body with Content-Type: text/csv."));
        }

        // The importer reads files; the upload is kept only for the length of the request.
        var name = request.Headers["X-File-Name"].ToString() is { Length: > 0 and <= 200 } given ? Path.GetFileName(given) : $"{what.ToString().ToLowerInvariant()}.csv";
        var path = Path.Combine(Path.GetTempPath(), $"ensemble-import-{Guid.NewGuid():N}.csv");
        try
        {
            await using (var file = File.Create(path))
            {
                await request.Body.CopyToAsync(file, cancellationToken);
            }

            var caller = await callers.RequireAsync(cancellationToken);
            var work = new WorkService(db, clock);
            var report = await new HouseholdImporter(db, clock).ImportAsync(what, path, caller.Handle, events => work.FollowOnAsync(events, caller.Handle, cancellationToken), cancellationToken);
            if (!report.Succeeded)
            {
                var errors = report.Errors.Select(e => e with { File = name }).ToList();
                return Results.Problem(
                    detail: $"{errors.Count} problem(s) in {name}; nothing was imported.",
                    statusCode: StatusCodes.Status400BadRequest,
                    extensions: new Dictionary<string, object?> { ["errors"] = errors });
            }

            return Results.Ok(new { report.Created, report.Updated, report.Unchanged });
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<IResult> AddRole(NewRole? body, CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.Key) || string.IsNullOrWhiteSpace(body.Name))
        {
            return Problems.Invalid(("key", "A role needs a key, e.g. tax-specialist."), ("name", "A role needs a name."));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var added = await new FirmSetup(db).AddRoleAsync(body.Key, body.Name.Trim(), body.Description?.Trim() ?? "", body.Scope ?? RoleScope.Household, caller.Handle, cancellationToken);
        return Problems.Of(added, r => Results.Created($"/api/roles/{r.Key}", new { r.Key, r.Name, r.Scope, r.SeesWholeFirm }));
    }

    private static async Task<IResult> SetFirmWide(string role, FirmWideRequest? body, CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        if (body?.SeesWholeFirm is not { } seesWholeFirm)
        {
            return Problems.Invalid(("seesWholeFirm", "Say true or false."));
        }

        var key = RoleKeys.Normalize(role);
        var row = await db.Roles.SingleOrDefaultAsync(r => r.Key == key, cancellationToken);
        if (row is null)
        {
            return Results.Problem(detail: $"There is no role {role}.", statusCode: StatusCodes.Status404NotFound);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        db.Actor = caller.Handle;
        db.Operation = "set-firm-wide-access";
        row.SetFirmWideAccess(seesWholeFirm);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Ok(new { row.Key, row.SeesWholeFirm });
    }
}
