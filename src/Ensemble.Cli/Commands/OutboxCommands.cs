using System.CommandLine;
using Ensemble.Communications;
using Ensemble.Storage.Communications.Delivery;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble outbox: what is waiting to go to clients and staff, sending it, and what the mail system reported back.</summary>
internal static class OutboxCommands
{
    public static Command Build() =>
        new("outbox", "Messages on their way to clients and staff: status, sending, bounces and confirmed deliveries.")
        {
            Status(), List(), Send(), Bounced(), Delivered(),
        };

    /// <summary>ensemble letters: the day's print batches.</summary>
    public static Command Letters()
    {
        var list = new Command("list", "Print batches, newest first, with how many letters each holds.");
        Runner.WithFirm(list, async (_, _, db, cancellationToken) =>
        {
            var batches = await LetterBatches.ListAsync(db, cancellationToken);
            if (batches.Count == 0)
            {
                Output.Line("No letters have been sent yet.");
            }

            foreach (var (batch, letters) in batches)
            {
                Output.Line($"{batch}  {letters:#,0} letters");
            }

            return Output.Ok;
        });

        var batchName = new Argument<string>("batch") { Description = "The batch, e.g. letters-2026-11-30." };
        var output = new Option<FileInfo>("--out") { Required = true, Description = "The ZIP file to write: one print-ready document per letter and manifest.csv." };
        var download = new Command("download", "Writes a print batch as a ZIP for the mail room.") { batchName, output };
        Runner.WithFirm(download, async (parse, _, db, cancellationToken) =>
        {
            var file = parse.GetValue(output)!;
            await using var stream = new MemoryStream();
            if (!await LetterBatches.WriteZipAsync(db, parse.GetValue(batchName)!, stream, cancellationToken))
            {
                return Output.Fail(Ensemble.Common.Error.NotFound($"There is no print batch {parse.GetValue(batchName)}; `ensemble letters list` shows them."));
            }

            await File.WriteAllBytesAsync(file.FullName, stream.ToArray(), cancellationToken);
            Output.Success($"Wrote {file.FullName}.");
            return Output.Ok;
        });

        return new Command("letters", "Letters leave as a print batch per day: list the batches and download one.") { list, download };
    }

    private static Command Status()
    {
        var status = new Command("status", "How many messages are queued, sending, sent, delivered, failed and bounced.");
        Runner.WithFirm(status, async (_, _, db, cancellationToken) =>
        {
            var counts = await new OutboxViews(db).CountsAsync(null, cancellationToken);
            foreach (var (state, count) in counts)
            {
                Output.Line($"{state.Name(),-10} {count,10:#,0}");
            }

            return Output.Ok;
        });
        return status;
    }

    private static Command List()
    {
        var state = new Option<string?>("--status") { Description = "queued, sending, sent, delivered, failed or bounced; default all." };
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 50, Description = "At most this many, newest first." };
        var list = new Command("list", "Messages in the outbox, newest first, with the last error of any that failed.") { state, limit };
        Runner.WithFirm(list, async (parse, _, db, cancellationToken) =>
        {
            DeliveryStatus? filter = null;
            if (parse.GetValue(state) is { } text)
            {
                filter = DeliveryStatuses.Parse(text);
                if (filter is null)
                {
                    return Output.Fail($"--status: \"{text}\" is not one of queued, sending, sent, delivered, failed, bounced.");
                }
            }

            var lines = await new OutboxViews(db).ListAsync(filter, parse.GetValue(limit), cancellationToken);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Id").AddColumn("Kind").AddColumn("Channel").AddColumn("Status").AddColumn("To").AddColumn("Subject").AddColumn("Note");
            foreach (var l in lines)
            {
                table.AddRow(
                    Markup.Escape(l.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), Markup.Escape(l.Kind), l.Channel.Name(), l.Status.Name(),
                    Markup.Escape($"{l.RecipientName} {(l.Channel == DeliveryChannel.Letter ? "" : l.Address)}".Trim()), Markup.Escape(l.Subject), Markup.Escape(l.LastError ?? ""));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });
        return list;
    }

    private static Command Send()
    {
        var host = new Option<string?>("--smtp-host") { Description = "The mail server (also ENSEMBLE_SMTP_HOST); without one, email waits and only letters and portal messages go." };
        var port = new Option<int?>("--smtp-port") { Description = "Its port (also ENSEMBLE_SMTP_PORT; default 25)." };
        var rate = new Option<int?>("--rate") { Description = "At most this many messages a second (also ENSEMBLE_SEND_RATE; default 50, 0 = no limit)." };
        var watch = new Option<bool>("--watch") { Description = "Keep sending as messages arrive until stopped (Ctrl+C)." };
        var send = new Command("send", "Sends what is due: email over SMTP, letters into today's print batch, portal messages. Safe to stop at any point: nothing goes twice, nothing is lost.")
        {
            host, port, rate, watch,
        };
        Runner.WithFirm(send, async (parse, session, db, cancellationToken) =>
        {
            DeliverySettings settings;
            try
            {
                settings = DeliverySettingsReader.Read(
                    key => key switch
                    {
                        "smtp-host" => parse.GetValue(host),
                        "smtp-port" => parse.GetValue(port)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        "send-rate" => parse.GetValue(rate)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        _ => null,
                    },
                    session.Location);
            }
            catch (InvalidOperationException ex)
            {
                return Output.Fail(ex.Message);
            }

            await using var sender = new OutboxSender(settings, session.Clock, $"cli-{Environment.MachineName}");
            var total = OutboxPass.None;
            do
            {
                var pass = await sender.SendAllDueAsync(db, cancellationToken);
                total += pass;
                if (pass.Claimed > 0 || pass.RecoveredSent + pass.RecoveredRequeued > 0)
                {
                    Output.Line(pass.ToString());
                }

                if (parse.GetValue(watch))
                {
                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
            while (parse.GetValue(watch) && !cancellationToken.IsCancellationRequested);

            Output.Success($"Done: {total}.");
            if (settings.SmtpHost is null && (await new OutboxViews(db).CountsAsync(null, cancellationToken))[DeliveryStatus.Queued] > 0)
            {
                Output.Line("Email is waiting: no mail server is configured (--smtp-host or ENSEMBLE_SMTP_HOST).");
            }

            return Output.Ok;
        });
        return send;
    }

    private static Command Bounced()
    {
        var id = new Argument<string>("message-id") { Description = "The Message-ID the bounce refers to." };
        var reason = new Option<string>("--reason") { Required = true, Description = "The mail system's reason, e.g. \"550 5.1.1 mailbox unknown\"." };
        var command = new Command("bounced", "Records that a sent message came back; the household's client service associate gets a task.") { id, reason };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
            Runner.Report(
                await new DeliveryReports(db, session.Clock).BouncedAsync(parse.GetValue(id)!, parse.GetValue(reason)!, session.Actor, cancellationToken),
                m => Output.Success($"Recorded the bounce of \"{m.Subject}\" to {m.RecipientName}.")));
        return command;
    }

    private static Command Delivered()
    {
        var id = new Argument<string>("message-id") { Description = "The Message-ID of the delivered message." };
        var command = new Command("delivered", "Records a confirmed delivery (from a delivery report).") { id };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
            Runner.Report(
                await new DeliveryReports(db, session.Clock).DeliveredAsync(parse.GetValue(id)!, session.Actor, cancellationToken),
                m => Output.Success($"Recorded delivery of \"{m.Subject}\" to {m.RecipientName}.")));
        return command;
    }
}
