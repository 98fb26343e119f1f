using System.CommandLine;
using System.Security.Cryptography;
using Ensemble.Storage.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble sign-in: who can sign in to the web app, and a new password for someone who lost theirs.</summary>
internal static class SignInCommands
{
    public static Command Build()
    {
        var list = new Command("list", "Staff and whether each can sign in to the web app (locked, authenticator on).");
        Runner.WithFirm(list, async (_, _, db, cancellationToken) =>
        {
            var accounts = await db.UserAccounts.AsNoTracking().ToDictionaryAsync(a => a.StaffId, cancellationToken);
            var staff = await db.Staff.AsNoTracking().OrderBy(s => s.Handle).ToListAsync(cancellationToken);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Handle").AddColumn("Name").AddColumn("Sign-in").AddColumn("Authenticator");
            foreach (var person in staff)
            {
                var account = accounts.GetValueOrDefault(person.Id);
                var state = account is null ? "none" : account.LockoutEnd is { } end && end > NodaTime.SystemClock.Instance.GetCurrentInstant() ? "locked" : "yes";
                table.AddRow(Markup.Escape(person.Handle), Markup.Escape(person.Name), state, account?.TwoFactorEnabled == true ? "on" : "off");
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });

        var handle = new Argument<string>("handle") { Description = "The staff member's handle." };
        var password = new Option<string?>("--password") { Description = "The new password (12 characters or more); without it one is made up and shown once." };
        var reset = new Command("reset", "Give someone a new password (creating their sign-in if they have none); unlocks it and ends their sessions.") { handle, password };
        Runner.WithFirm(reset, async (parse, session, db, cancellationToken) =>
        {
            var who = parse.GetValue(handle)!.Trim().ToLowerInvariant();
            var person = await db.Staff.AsNoTracking().SingleOrDefaultAsync(s => s.Handle == who && s.Active, cancellationToken);
            if (person is null)
            {
                return Output.Fail(Common.Error.NotFound($"No one at the firm has the handle {who}; `ensemble staff list` shows everyone."));
            }

            var chosen = parse.GetValue(password);
            if (chosen is not null && chosen.Length < 12)
            {
                return Output.Fail("A password needs at least 12 characters.");
            }

            var secret = chosen ?? SignInPassword.New();
            var account = await db.UserAccounts.SingleOrDefaultAsync(a => a.StaffId == person.Id, cancellationToken);
            if (account is null)
            {
                // Normalised as ASP.NET Core Identity looks names up: upper-case invariant.
                account = new UserAccount { StaffId = person.Id, UserName = person.Handle, NormalizedUserName = person.Handle.ToUpperInvariant(), SecurityStamp = "" };
                db.UserAccounts.Add(account);
            }

            account.PasswordHash = new PasswordHasher<UserAccount>().HashPassword(account, secret);
            account.SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            account.AccessFailedCount = 0;
            account.LockoutEnd = null;
            db.Actor = session.Actor;
            db.Operation = "reset-sign-in";
            await db.SaveChangesAsync(cancellationToken);
            Output.Success($"{person.Name} can sign in as {person.Handle}{(chosen is null ? $" with the password {secret} (shown only now)" : " with the password you chose")}.");
            return Output.Ok;
        });

        return new Command("sign-in", "Web app sign-ins: list them, reset a password.") { list, reset };
    }
}
