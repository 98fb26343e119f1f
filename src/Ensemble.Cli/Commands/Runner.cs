using System.CommandLine;
using System.Data.Common;
using Ensemble.Common;
using Ensemble.Storage;
using Microsoft.Data.Sqlite;

namespace Ensemble.Cli.Commands;

/// <summary>Opens the firm's database for a command and turns unexpected storage failures into a readable message.</summary>
internal static class Runner
{
    /// <summary>Runs a command against an existing firm; explains how to create one when there is none.</summary>
    public static void WithFirm(Command command, Func<ParseResult, Session, EnsembleDb, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var session = Session.From(parse);
            if (session.Location.Provider == StorageProvider.Sqlite && !File.Exists(new SqliteConnectionStringBuilder(session.Location.ConnectionString).DataSource))
            {
                return Output.Fail(Error.NotFound($"There is no Ensemble database at {session.Location}. Create one with `ensemble init --name \"Your Firm\"` or try `ensemble demo`."));
            }

            try
            {
                await EnsembleDatabase.MigrateAsync(session.Location, cancellationToken);
                await using var db = session.Open();
                if (!await EnsembleDatabase.HasFirmAsync(db, cancellationToken))
                {
                    return Output.Fail(Error.NotFound($"The database at {session.Location} has no firm yet; run `ensemble init --name \"Your Firm\"`."));
                }

                return await action(parse, session, db, cancellationToken);
            }
            catch (DbException ex)
            {
                // The database itself is unreachable or refused: say so plainly rather than with a stack trace.
                Console.Error.WriteLine($"The database at {session.Location} could not be used: {ex.Message}");
                return 7;
            }
        });

    /// <summary>Maps a result to the terminal: the success action, or the error and its exit code.</summary>
    public static int Report<T>(Result<T> result, Action<T> success)
    {
        if (!result.IsSuccess)
        {
            return Output.Fail(result.Error!);
        }

        success(result.Value);
        return Output.Ok;
    }
}
