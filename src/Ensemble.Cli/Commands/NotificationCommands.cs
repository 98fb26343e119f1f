using System.CommandLine;
using Ensemble.Common;
using Ensemble.Storage.Communications.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble notifications preferences | send: staff notification emails and each person's choices.</summary>
internal static class NotificationCommands
{
    public static Command Build() => new("notifications", "Staff notification emails: the daily digest and meeting reminders, each as the person chose.")
    {
        Preferences(),
        Send(),
    };

    private static Command Preferences()
    {
        var handle = new Argument<string>("handle") { Description = "The staff member's handle, e.g. tom." };
        var digest = new Option<string?>("--daily-digest") { Description = "on or off: a morning email of work due today and overdue." };
        var reminders = new Option<string?>("--meeting-reminders") { Description = "on or off: an email for each meeting reminder." };
        var alerts = new Option<string?>("--alerts-in-digest") { Description = "on or off: new alerts on their households in the digest." };
        var command = new Command("preferences", "Show or change which emails a person gets (all on until changed).") { handle, digest, reminders, alerts };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var name = parse.GetValue(handle)!.Trim().ToLowerInvariant();
            var staffId = await db.Staff.AsNoTracking().Where(s => s.Handle == name).Select(s => (StaffId?)s.Id).SingleOrDefaultAsync(cancellationToken);
            if (staffId is not { } id)
            {
                return Output.Fail(Error.NotFound($"There is no staff member {name}; `ensemble staff list` shows them."));
            }

            var errors = new List<string>();
            var d = Switch(parse.GetValue(digest), "--daily-digest", errors);
            var r = Switch(parse.GetValue(reminders), "--meeting-reminders", errors);
            var a = Switch(parse.GetValue(alerts), "--alerts-in-digest", errors);
            if (errors.Count > 0)
            {
                return Output.Fail(string.Join(" ", errors));
            }

            var store = new NotificationPreferencesStore(db);
            NotificationPreferencesView view;
            if (d is null && r is null && a is null)
            {
                view = (await store.GetAsync(id, cancellationToken))!;
            }
            else
            {
                var saved = await store.SetAsync(id, d, r, a, session.Actor, cancellationToken);
                if (!saved.IsSuccess)
                {
                    return Output.Fail(saved.Error!);
                }

                view = saved.Value;
                Output.Success($"Saved {view.Handle}'s choices.");
            }

            Output.Line($"  Email:              {(view.HasEmail ? view.Email : "(none on file: nothing can be emailed)")}");
            Output.Line($"  Daily digest:       {OnOff(view.DailyDigest)}");
            Output.Line($"  Meeting reminders:  {OnOff(view.MeetingReminders)}");
            Output.Line($"  Alerts in digest:   {OnOff(view.AlertsInDigest)}");
            return Output.Ok;
        });
        return command;
    }

    private static Command Send()
    {
        var command = new Command("send", "Queue the staff emails now due: meeting reminders that have shown, and today's digests once the morning has come (the web app's sweep does this every minute; run it from cron without one).");
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var report = await new StaffEmails(db, session.Clock).RunAsync(cancellationToken);
            Output.Success(char.ToUpperInvariant(report.Summary[0]) + report.Summary[1..]);
            return Output.Ok;
        });
        return command;
    }

    private static bool? Switch(string? text, string option, List<string> errors) => text?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "on" or "yes" or "true" => true,
        "off" or "no" or "false" => false,
        _ => Fail(errors, $"{option}: \"{text}\" is not on or off."),
    };

    private static bool? Fail(List<string> errors, string message)
    {
        errors.Add(message);
        return null;
    }

    private static string OnOff(bool on) => on ? "on" : "off";
}
