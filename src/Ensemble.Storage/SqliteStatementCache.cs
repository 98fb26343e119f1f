using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Ensemble.Storage;

/// <summary>
/// Keeps the statements a long-lived SQLite connection has run compiled, so each text is compiled once per connection
/// rather than once per execution.
/// </summary>
/// <remarks>
/// <para>Microsoft.Data.Sqlite compiles a command's text the first time that command object runs it, and EF Core builds
/// a new command object for every execution; closing the connection throws away whatever was compiled. On a task
/// completion, compiling took a sixth of the web app's CPU. Here each kept connection holds one command per text it has
/// seen, and a command from EF Core (or from <see cref="ExecuteReaderAsync"/>) runs as that command, with its own
/// parameters and transaction.</para>
/// <para>Only connections <see cref="ContextPool"/> keeps open between requests take part (<see cref="Keep"/>); every
/// other command runs as before. A statement is compiled against one SQLite handle: if the connection was closed and
/// opened again meanwhile, its cache starts over rather than run a statement on a handle another connection now holds.</para>
/// </remarks>
internal sealed class SqliteStatementCache : DbCommandInterceptor
{
    public static readonly SqliteStatementCache Instance = new();

    // More texts than a busy request path repeats; texts that vary (EF Core's batched saves) must not grow a connection's
    // cache without end.
    private const int MostStatements = 128;

    private static readonly ConditionalWeakTable<DbConnection, Statements> Kept = [];

    public static bool IsKept(DbConnection connection) => Kept.TryGetValue(connection, out _);

    /// <summary>Caches the statements of <paramref name="connection"/>, which its owner keeps open.</summary>
    public static void Keep(DbConnection connection) => Kept.TryAdd(connection, new Statements());

    /// <summary>
    /// True when a kept connection holds something of its last user's: a transaction not ended or a reader not closed.
    /// Such a connection must not be lent to anyone else.
    /// </summary>
    public static bool HasLeftovers(DbConnection connection) =>
        Kept.TryGetValue(connection, out var statements) && (statements.Reading || !Idle(connection));

    /// <summary>
    /// True when <paramref name="connection"/> is open for its owner's own purposes. A kept connection that is idle (no
    /// transaction, no reader open) is open only to keep its statements, and counts as closed.
    /// </summary>
    public static bool InUse(DbConnection connection) =>
        connection.State != ConnectionState.Closed && !(IsKept(connection) && !HasLeftovers(connection));

    /// <summary>Closes a kept connection for good, and forgets its statements.</summary>
    public static void Release(DbConnection connection)
    {
        if (Kept.TryGetValue(connection, out var statements))
        {
            Kept.Remove(connection);
            statements.Clear();
        }

        connection.Close();
    }

    /// <summary>Runs <paramref name="command"/> as its connection's compiled command for the same text, when the connection is kept.</summary>
    public static Task<DbDataReader> ExecuteReaderAsync(DbCommand command, CancellationToken cancellationToken) =>
        Ready(command) is { } entry ? Task.FromResult<DbDataReader>(entry.Read()) : command.ExecuteReaderAsync(cancellationToken);

    /// <inheritdoc cref="ExecuteReaderAsync"/>
    public static Task<int> ExecuteNonQueryAsync(DbCommand command, CancellationToken cancellationToken) =>
        Ready(command) is { } entry ? Task.FromResult(entry.Command.ExecuteNonQuery()) : command.ExecuteNonQueryAsync(cancellationToken);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        !result.HasResult && Ready(command) is { } entry ? InterceptionResult<DbDataReader>.SuppressWithResult(entry.Read()) : result;

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ReaderExecuting(command, eventData, result));

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        !result.HasResult && Ready(command) is { } entry ? InterceptionResult<int>.SuppressWithResult(entry.Command.ExecuteNonQuery()) : result;

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(NonQueryExecuting(command, eventData, result));

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        !result.HasResult && Ready(command) is { } entry ? InterceptionResult<object>.SuppressWithResult(entry.Command.ExecuteScalar()!) : result;

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ScalarExecuting(command, eventData, result));

    private static bool Idle(DbConnection connection) =>
        connection is not SqliteConnection { State: ConnectionState.Open, Handle: { } handle } || raw.sqlite3_get_autocommit(handle) != 0;

    /// <summary>The compiled command for <paramref name="command"/>'s text, carrying its parameters and transaction; null when not kept or busy.</summary>
    private static Entry? Ready(DbCommand command) =>
        command is SqliteCommand { Connection: { State: ConnectionState.Open, Handle: { } handle } connection } sqlite
        && Kept.TryGetValue(connection, out var statements)
            ? statements.Ready(sqlite, handle)
            : null;

    private sealed class Entry(SqliteCommand command)
    {
        public SqliteCommand Command { get; } = command;

        // A command runs one reader at a time; while this one is open, the same text runs as a command of its own.
        public SqliteDataReader? Reader { get; private set; }

        public bool Reading => Reader is { IsClosed: false };

        public SqliteDataReader Read() => Reader = Command.ExecuteReader();
    }

    /// <summary>
    /// One kept connection's commands by text, the least recently run first to go when there are too many. A connection
    /// serves one context, so one caller at a time.
    /// </summary>
    private sealed class Statements
    {
        private readonly Dictionary<string, LinkedListNode<Entry>> _byText = new(StringComparer.Ordinal);
        private readonly LinkedList<Entry> _recent = new();

        // The handle the commands were compiled against.
        private sqlite3? _handle;

        public bool Reading => _recent.Any(e => e.Reading);

        public Entry? Ready(SqliteCommand source, sqlite3 handle)
        {
            if (!ReferenceEquals(handle, _handle))
            {
                Clear();
                _handle = handle;
            }

            if (_byText.TryGetValue(source.CommandText, out var node))
            {
                if (node.Value.Reading)
                {
                    return null;
                }

                _recent.Remove(node);
                _recent.AddFirst(node);
            }
            else
            {
                Evict();
                var command = source.Connection!.CreateCommand();
                command.CommandText = source.CommandText;
                node = _recent.AddFirst(new Entry(command));
                _byText.Add(source.CommandText, node);
            }

            var prepared = node.Value.Command;
            prepared.Transaction = source.Transaction;
            prepared.CommandTimeout = source.CommandTimeout;
            prepared.Parameters.Clear();
            foreach (SqliteParameter parameter in source.Parameters)
            {
                prepared.Parameters.Add(parameter);
            }

            return node.Value;
        }

        public void Clear()
        {
            foreach (var entry in _recent)
            {
                entry.Command.Dispose();
            }

            _recent.Clear();
            _byText.Clear();
        }

        // Disposing a command closes its reader, so one still being read (a split query's first part) stays.
        private void Evict()
        {
            for (var node = _recent.Last; node is not null && _byText.Count >= MostStatements;)
            {
                var earlier = node.Previous;
                if (!node.Value.Reading)
                {
                    _recent.Remove(node);
                    _byText.Remove(node.Value.Command.CommandText);
                    node.Value.Command.Dispose();
                }

                node = earlier;
            }
        }
    }
}
