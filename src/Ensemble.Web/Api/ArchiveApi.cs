using Ensemble.Communications;
using Ensemble.Communications.Archive;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Communications.Archive;
using Ensemble.Web.Access;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>The communication settings as the API reads and writes them; omitted fields keep their value, an empty appAddress clears it.</summary>
public sealed record CommunicationSettingsRequest(int? RetentionYears, string? FiscalYearEnd, string? AppAddress);

/// <summary>The communication settings as the API shows them (the fiscal year end as MM-DD).</summary>
public sealed record CommunicationSettingsView(int RetentionYears, string FiscalYearEnd, string? AppAddress, int FormAdvDeliveryDays)
{
    public static CommunicationSettingsView Of(CommunicationSettings s) =>
        new(s.RetentionYears, CommunicationSettings.Format(s.FiscalYearEnd), s.AppAddress, Ensemble.Communications.FormAdv.FormAdvYear.DeliveryDays);
}

/// <summary>
/// The books-and-records archive: every message as it was sent, searched within what the caller may see (their
/// households, their own emails; everything for roles that see the whole firm), one message with its campaign's
/// approval, a household's messages and their export as a ZIP, the purge of what is past retention, and the settings.
/// </summary>
internal static class ArchiveApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var archive = api.MapGroup("/archive").WithTags("Archive");
        archive.MapGet("/messages", Search).Allow(AccessKind.AnyStaff)
            .WithSummary($"Archived messages I may see, newest first: ?text (subject, body, recipient), ?household, ?kind, ?channel ({ArchiveFilterReader.ChannelChoices}), ?status ({ArchiveFilterReader.StatusChoices}), ?from and ?to (dates, inclusive); paged.");
        archive.MapGet("/messages/{id:long}", Get).Allow(AccessKind.AnyStaff)
            .WithSummary("One message as sent: recipient, address, channel, status and times, the rendered subject and bodies, its Message-ID, retention, and its campaign with the approval.");
        archive.MapGet("/messages/{id:long}/eml", Eml).Allow(AccessKind.AnyStaff)
            .WithSummary("An archived email as an .eml file, rebuilt from the stored fields with its own Message-ID.");
        archive.MapPost("/purge", Purge).Allow(AccessKind.ManagePractice)
            .WithSummary("Delete the messages past their retention (and past the firm's current period), and only those; ?dryRun=true counts them. Each deletion is audited.");
        api.MapGet("/households/{key}/messages", ForHousehold).Allow(AccessKind.Household).WithTags("Archive")
            .WithSummary("What was sent to the household, newest first; paged.");
        api.MapGet("/households/{key}/messages/export", Export).Allow(AccessKind.Household).WithTags("Archive")
            .WithSummary("The household's archive as a ZIP: one .eml per email, letters as .txt, portal messages as .html or .txt, and index.csv.");
        api.MapGet("/communication-settings", GetSettings).Allow(AccessKind.AnyStaff).WithTags("Archive")
            .WithSummary("How long messages are kept, the fiscal year end that sets the Form ADV deadline, and the app's address for links in staff emails.");
        api.MapPut("/communication-settings", SetSettings).Allow(AccessKind.ManagePractice).WithTags("Archive")
            .WithSummary("Change the communication settings; a value out of range is refused naming the field. Audited.");
    }

    /// <summary>What the caller may read of the archive.</summary>
    public static async Task<ArchiveScope> ScopeAsync(Caller caller, EnsembleDb db, CancellationToken cancellationToken) =>
        caller.SeesWholeFirm ? ArchiveScope.WholeFirm : new ArchiveScope(await new HouseholdAccess(db).VisibleHouseholdIdsAsync(caller, cancellationToken), caller.StaffId);

    private static async Task<IResult> Search(
        string? text, string? household, string? kind, string? channel, string? status, string? from, string? to, int? limit, int? offset,
        CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        var (filter, errors) = await ArchiveFilterReader.ReadAsync(db, new ArchiveSearchText(text, household, kind, channel, status, from, to), cancellationToken);
        if (filter is null)
        {
            return Problems.Invalid([.. errors]);
        }

        var scope = await ScopeAsync(await callers.RequireAsync(cancellationToken), db, cancellationToken);
        return Results.Ok(Paging.Of(await new OutboxArchive(db).SearchAsync(filter, scope, take + 1, skip, cancellationToken), skip, take));
    }

    private static async Task<IResult> Get(long id, CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(await callers.RequireAsync(cancellationToken), db, cancellationToken);
        return await new OutboxArchive(db).FindAsync(id, scope, cancellationToken) is { } message
            ? Results.Ok(message)
            : Results.Problem(detail: $"There is no message {id} you may read.", statusCode: StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> Eml(long id, CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(await callers.RequireAsync(cancellationToken), db, cancellationToken);
        var (message, household) = await new OutboxArchive(db).FindRecordAsync(id, scope, cancellationToken);
        if (message is not { Channel: DeliveryChannel.Email })
        {
            return Results.Problem(detail: $"There is no email {id} you may read.", statusCode: StatusCodes.Status404NotFound);
        }

        var firm = await Storage.Work.WorkContextLoader.FirmAsync(db, cancellationToken);
        using var buffer = new MemoryStream();
        await ArchiveEml.WriteAsync(ArchiveEml.Build(message, firm.Name, household), buffer, cancellationToken);
        return Results.File(buffer.ToArray(), "message/rfc822", $"message-{id}.eml");
    }

    private static async Task<IResult> ForHousehold(string key, int? limit, int? offset, HttpContext context, EnsembleDb db, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        var filter = new ArchiveFilter(Household: HouseholdRoute.Id(context));
        return Results.Ok(Paging.Of(await new OutboxArchive(db).SearchAsync(filter, ArchiveScope.WholeFirm, take + 1, skip, cancellationToken), skip, take));
    }

    private static async Task<IResult> Export(string key, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var report = await new ArchiveExport(db).WriteAsync(key, buffer, cancellationToken);
        if (report is null)
        {
            return Results.Problem(detail: $"There is no household {key}.", statusCode: StatusCodes.Status404NotFound);
        }

        buffer.Position = 0;
        var day = clock.GetCurrentInstant().InUtc().Date.ToString("uuuu-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return Results.File(buffer, "application/zip", $"{ArchiveExport.SafeName(key)}-messages-{day}.zip");
    }

    private static async Task<IResult> Purge(bool? dryRun, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        return Results.Ok(await new ArchivePurge(db, clock).RunAsync(caller.Handle, dryRun ?? false, cancellationToken));
    }

    private static async Task<IResult> GetSettings(EnsembleDb db, CancellationToken cancellationToken) =>
        Results.Ok(CommunicationSettingsView.Of(await CommunicationSettingsStore.GetAsync(db, cancellationToken)));

    private static async Task<IResult> SetSettings(CommunicationSettingsRequest? body, CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        var current = await CommunicationSettingsStore.GetAsync(db, cancellationToken);
        var fiscalYearEnd = current.FiscalYearEnd;
        if (body?.FiscalYearEnd is { } text)
        {
            if (CommunicationSettings.ParseFiscalYearEnd(text) is not { } parsed)
            {
                return Problems.Invalid(("fiscalYearEnd", $"\"{text}\" is not a month and day such as 12-31 or 03-31."));
            }

            fiscalYearEnd = parsed;
        }

        var wanted = new CommunicationSettings(
            body?.RetentionYears ?? current.RetentionYears,
            fiscalYearEnd,
            body?.AppAddress is null ? current.AppAddress : body.AppAddress.Trim() is { Length: > 0 } address ? address : null);
        if (wanted.Problems() is { Count: > 0 } problems)
        {
            return Problems.Invalid([.. problems.Select(p => (p.Field, p.Message))]);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        db.Actor = caller.Handle;
        db.Operation = "set-communication-settings";
        return Problems.Of(await CommunicationSettingsStore.SaveAsync(db, wanted, cancellationToken), s => Results.Ok(CommunicationSettingsView.Of(s)));
    }
}
