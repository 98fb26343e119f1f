using System.CommandLine;
using Ensemble.Storage.Access;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble tokens: API tokens for integrations, issued to and revoked for a staff member from the command line.</summary>
internal static class TokenCommands
{
    public static Command Build()
    {
        var forWhom = new Argument<string?>("handle") { Description = "Only this person's tokens.", Arity = ArgumentArity.ZeroOrOne };
        var list = new Command("list", "API tokens (never the secrets): whose, name, issued, revoked.") { forWhom };
        Runner.WithFirm(list, async (parse, _, db, cancellationToken) =>
        {
            var handle = parse.GetValue(forWhom)?.Trim().ToLowerInvariant();
            var rows = await db.ApiTokens.AsNoTracking()
                .Join(db.Staff, t => t.StaffId, s => s.Id, (t, s) => new { t.Id, s.Handle, t.Name, t.CreatedAt, t.RevokedAt })
                .Where(t => handle == null || t.Handle == handle)
                .OrderBy(t => t.Id)
                .ToListAsync(cancellationToken);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Id").AddColumn("Person").AddColumn("Name").AddColumn("Issued").AddColumn("Revoked");
            foreach (var row in rows)
            {
                table.AddRow(row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(row.Handle), Markup.Escape(row.Name),
                    row.CreatedAt.ToString(), row.RevokedAt?.ToString() ?? "");
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });

        var handleArgument = new Argument<string>("handle") { Description = "The staff member the token acts as." };
        var name = new Option<string>("--name") { Description = "What uses the token, e.g. the custodian feed.", Required = true };
        var issue = new Command("issue", "Issue an API token that acts with this person's access; the token is shown once.") { handleArgument, name };
        Runner.WithFirm(issue, async (parse, session, db, cancellationToken) =>
        {
            var who = parse.GetValue(handleArgument)!.Trim().ToLowerInvariant();
            var label = parse.GetValue(name)!.Trim();
            if (label.Length is 0 or > 120)
            {
                return Output.Fail("--name: name the token (1 to 120 characters), e.g. the integration that uses it.");
            }

            var person = await db.Staff.AsNoTracking().SingleOrDefaultAsync(s => s.Handle == who && s.Active, cancellationToken);
            if (person is null)
            {
                return Output.Fail(Common.Error.NotFound($"No one at the firm has the handle {who}; `ensemble staff list` shows everyone."));
            }

            var token = ApiTokenSecrets.NewToken();
            db.Actor = session.Actor;
            db.Operation = "issue-api-token";
            var row = new ApiToken { StaffId = person.Id, Name = label, Hash = ApiTokenSecrets.HashOf(token), CreatedAt = session.Clock.GetCurrentInstant() };
            db.ApiTokens.Add(row);
            await db.SaveChangesAsync(cancellationToken);
            Output.Success($"Token {row.Id} for {person.Handle} ({label}). Copy it now; it is not shown again:");
            Console.WriteLine(token);
            return Output.Ok;
        });

        var id = new Argument<long>("id") { Description = "The token's id, from `ensemble tokens list`." };
        var revoke = new Command("revoke", "Revoke a token; the web app refuses it within seconds.") { id };
        Runner.WithFirm(revoke, async (parse, session, db, cancellationToken) =>
        {
            var row = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == parse.GetValue(id), cancellationToken);
            if (row is null)
            {
                return Output.Fail(Common.Error.NotFound($"There is no token {parse.GetValue(id)}; `ensemble tokens list` shows them."));
            }

            db.Actor = session.Actor;
            db.Operation = "revoke-api-token";
            row.RevokedAt ??= session.Clock.GetCurrentInstant();
            await db.SaveChangesAsync(cancellationToken);
            Output.Success($"Token {row.Id} ({row.Name}) revoked.");
            return Output.Ok;
        });

        return new Command("tokens", "API tokens for integrations: list, issue, revoke.") { list, issue, revoke };
    }
}
