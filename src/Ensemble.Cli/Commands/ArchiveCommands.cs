using System.CommandLine;
using System.Globalization;
using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Communications.Archive;
using Ensemble.Storage.Communications.Archive;
using Ensemble.Storage.Work;
using NodaTime;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble archive search | show | export | purge | settings: the books-and-records archive of every message sent.</summary>
internal static class ArchiveCommands
{
    public static Command Build() => new("archive", "Every message as it was sent, kept for the firm's retention period: search, read, export per household, purge what has expired.")
    {
        Search(),
        Show(),
        Export(),
        Purge(),
        Settings(),
    };

    private static Command Search()
    {
        var text = new Option<string?>("--text") { Description = "Words in the subject, body or recipient." };
        var household = new Option<string?>("--household") { Description = "A household key, e.g. HH-1001." };
        var kind = new Option<string?>("--kind") { Description = "The kind of message, e.g. form-adv, staff-digest." };
        var channel = new Option<string?>("--channel") { Description = ArchiveFilterReader.ChannelChoices + "." };
        var status = new Option<string?>("--status") { Description = ArchiveFilterReader.StatusChoices + "." };
        var from = new Option<string?>("--from") { Description = "Sent on or after this day (yyyy-MM-dd)." };
        var to = new Option<string?>("--to") { Description = "Sent on or before this day (yyyy-MM-dd)." };
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 50, Description = "At most this many, newest first (1 to 500)." };
        var command = new Command("search", "Find archived messages, newest first.") { text, household, kind, channel, status, from, to, limit };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            if (parse.GetValue(limit) is < 1 or > 500)
            {
                return Output.Fail("--limit: between 1 and 500.");
            }

            var (filter, errors) = await ArchiveFilterReader.ReadAsync(db, new ArchiveSearchText(
                parse.GetValue(text), parse.GetValue(household), parse.GetValue(kind), parse.GetValue(channel), parse.GetValue(status), parse.GetValue(from), parse.GetValue(to)), cancellationToken);
            if (filter is null)
            {
                return Output.Fail(string.Join(" ", errors.Select(e => $"--{e.Field}: {e.Message}")));
            }

            var archive = new OutboxArchive(db);
            var lines = await archive.SearchAsync(filter, ArchiveScope.WholeFirm, parse.GetValue(limit), 0, cancellationToken);
            var total = await archive.CountAsync(filter, ArchiveScope.WholeFirm, cancellationToken);
            if (lines.Count == 0)
            {
                Output.Line("No archived message matches.");
                return Output.Ok;
            }

            var zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
            Output.FitWidth();
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Id").AddColumn("Sent").AddColumn("Kind").AddColumn("Channel").AddColumn("Status")
                .AddColumn("To").AddColumn("Household").AddColumn("Subject");
            foreach (var m in lines)
            {
                table.AddRow(m.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(When(m.SentAt ?? m.QueuedAt, zone) + (m.SentAt is null ? " (queued)" : "")), Markup.Escape(m.Kind),
                    Markup.Escape(m.Channel), Markup.Escape(m.Status), Markup.Escape(m.RecipientName), Markup.Escape(m.HouseholdKey ?? (m.StaffHandle is null ? "" : "staff: " + m.StaffHandle)),
                    Markup.Escape(m.Subject));
            }

            AnsiConsole.Write(table);
            Output.Line($"{lines.Count} of {total:N0} shown; `ensemble archive show ID` reads one.");
            return Output.Ok;
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<long>("id") { Description = "The archive id, as `archive search` lists it." };
        var command = new Command("show", "One message as it was sent: who, where, when, its Message-ID, the text, its campaign's approval and how long it is kept.") { id };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var m = await new OutboxArchive(db).FindAsync(parse.GetValue(id), ArchiveScope.WholeFirm, cancellationToken);
            if (m is null)
            {
                return Output.Fail(Error.NotFound($"There is no archived message {parse.GetValue(id)}."));
            }

            var zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
            Output.Success($"#{m.Id} {m.Subject}");
            Output.Line($"  To:          {m.RecipientName} <{m.Address.Replace("\n", ", ", StringComparison.Ordinal)}> by {m.Channel}");
            Output.Line($"  Household:   {(m.HouseholdKey is null ? "—" : $"{m.HouseholdKey} {m.HouseholdName}")}{(m.StaffHandle is null ? "" : $"; staff {m.StaffHandle}")}");
            Output.Line($"  Kind:        {m.Kind}; status {m.Status} after {m.Attempts} attempt(s)");
            Output.Line($"  Queued:      {When(m.QueuedAt, zone)}; sent {When(m.SentAt, zone)}; delivered {When(m.DeliveredAt, zone)}; failed {When(m.FailedAt, zone)}");
            if (m.LastError is not null)
            {
                Output.Line($"  Last error:  {m.LastError}");
            }

            Output.Line($"  Message-ID:  <{m.MessageId}>");
            Output.Line($"  Kept until:  {When(m.RetainUntil, zone)} (deletion refused until then)");
            if (m.Campaign is { } campaign)
            {
                Output.Line($"  Campaign:    #{campaign.Id} {campaign.Name}");
                if (!campaign.Known)
                {
                    Output.Line("  Approval:    the campaign is not on record, so its approval cannot be shown.");
                }

                foreach (var a in campaign.Approvals)
                {
                    Output.Line($"  Approval:    {a.Decision} by {a.Reviewer} at {When(a.At, zone)}{(a.Comment is null ? "" : ": " + a.Comment)}");
                }
            }

            Output.Line("");
            Console.Out.WriteLine(m.TextBody);
            return Output.Ok;
        });
        return command;
    }

    private static Command Export()
    {
        var key = new Argument<string>("household") { Description = "The household key, e.g. HH-1001." };
        var output = new Option<FileInfo?>("--out") { Description = "The ZIP to write (default: HOUSEHOLD-messages.zip here)." };
        var command = new Command("export", "Write a household's archive as a ZIP: one .eml per email, letters as .txt, portal messages as .html, and index.csv.") { key, output };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var household = parse.GetValue(key)!.Trim();
            var path = parse.GetValue(output)?.FullName ?? Path.GetFullPath($"{ArchiveExport.SafeName(household)}-messages.zip");
            await using var buffer = new MemoryStream();
            var report = await new ArchiveExport(db).WriteAsync(household, buffer, cancellationToken);
            if (report is null)
            {
                return Output.Fail(Error.NotFound($"There is no household {household}."));
            }

            await File.WriteAllBytesAsync(path, buffer.ToArray(), cancellationToken);
            Output.Success($"Wrote {report.Messages} message(s) of {report.HouseholdKey} to {path}: {report.Emails} email(s), {report.Letters} letter(s), {report.PortalMessages} portal message(s), and {ArchiveExport.IndexFile}.");
            return Output.Ok;
        });
        return command;
    }

    private static Command Purge()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only count what would be purged." };
        var command = new Command("purge", "Delete the messages past their retention (and past the firm's current period) — only those; each deletion is audited.") { dryRun };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var report = await new ArchivePurge(db, session.Clock).RunAsync(session.Actor, parse.GetValue(dryRun), cancellationToken);
            if (report.Refused > 0)
            {
                Console.Error.WriteLine(report.Summary);
                return 4;
            }

            Output.Success(report.Summary);
            return Output.Ok;
        });
        return command;
    }

    private static Command Settings()
    {
        var years = new Option<int?>("--retention-years") { Description = $"Keep every message this many years from sending ({CommunicationSettings.MinimumRetentionYears} to {CommunicationSettings.MaximumRetentionYears}; default {CommunicationSettings.DefaultRetentionYears})." };
        var fiscal = new Option<string?>("--fiscal-year-end") { Description = "The last day of the fiscal year as MM-DD (default 12-31); Form ADV is due 120 days later." };
        var app = new Option<string?>("--app-address") { Description = "The address staff open Ensemble at, for links in their emails (\"\" to clear)." };
        var command = new Command("settings", "Show or change the communication settings: retention, fiscal year end, the app's address.") { years, fiscal, app };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var current = await CommunicationSettingsStore.GetAsync(db, cancellationToken);
            var wanted = current;
            if (parse.GetValue(fiscal) is { } text)
            {
                if (CommunicationSettings.ParseFiscalYearEnd(text) is not { } end)
                {
                    return Output.Fail($"--fiscal-year-end: \"{text}\" is not a month and day such as 12-31 or 03-31.");
                }

                wanted = wanted with { FiscalYearEnd = end };
            }

            if (parse.GetValue(years) is { } y)
            {
                wanted = wanted with { RetentionYears = y };
            }

            if (parse.GetValue(app) is { } address)
            {
                wanted = wanted with { AppAddress = address.Trim().Length == 0 ? null : address.Trim() };
            }

            if (wanted != current)
            {
                if (wanted.Problems() is { Count: > 0 } problems)
                {
                    return Output.Fail(string.Join(" ", problems.Select(p => $"--{Option(p.Field)}: {p.Message}")));
                }

                db.Actor = session.Actor;
                db.Operation = "set-communication-settings";
                var saved = await CommunicationSettingsStore.SaveAsync(db, wanted, cancellationToken);
                if (!saved.IsSuccess)
                {
                    return Output.Fail(saved.Error!);
                }

                Output.Success("Communication settings saved.");
            }

            Output.Line($"  Retention:        {wanted.RetentionYears} years from sending (deletion refused before then)");
            Output.Line($"  Fiscal year end:  {CommunicationSettings.Format(wanted.FiscalYearEnd)}; Form ADV delivery due {Ensemble.Communications.FormAdv.FormAdvYear.DeliveryDays} days later");
            Output.Line($"  App address:      {wanted.AppAddress ?? "(not set: staff emails name the page instead of linking it)"}");
            return Output.Ok;
        });
        return command;
    }

    private static string Option(string field) => field switch
    {
        "retentionYears" => "retention-years",
        "appAddress" => "app-address",
        _ => "fiscal-year-end",
    };

    private static string When(Instant? at, DateTimeZone zone) => at?.InZone(zone).ToString("uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—";
}
