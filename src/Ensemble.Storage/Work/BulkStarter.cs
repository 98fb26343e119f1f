using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.Processes.Templates;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using NodaTime;

namespace Ensemble.Storage.Work;

/// <summary>One instance to start: for which household, with which dates, under which occurrence key.</summary>
public sealed record BulkStartItem(HouseholdId HouseholdId, IReadOnlyDictionary<string, LocalDate> Anchors, string? TriggerKey);

/// <summary>What a bulk start did: instances started, items whose trigger key had already started one, and items refused.</summary>
public sealed record BulkStartReport(int Started, int AlreadyStarted, IReadOnlyList<string> Errors);

/// <summary>
/// Starts one instance of a template version per item — a year of review meetings for a whole book of
/// households — at tens of thousands of instances a second.
/// </summary>
/// <remarks>
/// Every instance is built by the same pure <see cref="ProcessEngine.Start"/> a single start uses, so due
/// dates, routing and conditions are identical; only loading and writing differ. Teams, staff and facts
/// are read for a whole chunk of households at once, and rows are written with raw SQL (prepared inserts
/// on SQLite, binary COPY on PostgreSQL). Each chunk is one transaction with one audit event per
/// instance. Items carrying a trigger key are idempotent: a crash part-way and a re-run starts only what
/// is missing, and a key another process starts concurrently is detected and skipped.
/// </remarks>
public sealed class BulkStarter(EnsembleDb db, IClock clock)
{
    /// <summary>Items per chunk: one transaction, and the size of the IN lists used to read teams and keys.</summary>
    public const int ChunkSize = 5_000;

    private const string Operation = "bulk-start";

    /// <summary>
    /// Audit events handed to the writer at a time on SQLite. SQLite matches each bound parameter by name
    /// with a linear search, so a statement's cost grows with the square of its parameters; the writer puts
    /// up to 400 rows of 12 parameters in one statement, and slices of 25 keep that cost small. PostgreSQL
    /// gets the whole chunk at once (each call costs round trips there).
    /// </summary>
    private const int SqliteAuditSlice = 25;

    /// <summary>SQLite page cache while a bulk start runs (KiB, as PRAGMA cache_size takes it when negative).</summary>
    private const int SqliteCacheKib = 64 * 1024;

    private readonly ProcessEngine _engine = new(clock);

    public async Task<BulkStartReport> StartAsync(TemplateVersionId versionId, IReadOnlyList<BulkStartItem> items, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);

        var version = await db.TemplateVersions.AsNoTracking()
            .Where(v => v.Id == versionId)
            .Select(v => new { v.Key, v.Number })
            .SingleOrDefaultAsync(ct);
        if (version is null)
        {
            return new BulkStartReport(0, 0, [$"There is no template version {versionId}."]);
        }

        var run = new Run(
            versionId,
            version.Number,
            await TemplateCache.GetAsync(db, versionId, ct),
            await WorkContextLoader.FirmAsync(db, ct),
            actor);
        run.FirmAssignments.AddRange(await db.TeamAssignments.AsNoTracking().Where(a => a.HouseholdId == null).ToListAsync(ct));
        await LoadStaffAsync(run, run.FirmAssignments, ct);

        // The same occurrence named twice in one call starts once.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = new List<BulkStartItem>(items.Count);
        foreach (var item in items)
        {
            if (item.TriggerKey is null || seen.Add(item.TriggerKey))
            {
                unique.Add(item);
            }
            else
            {
                run.AlreadyStarted++;
            }
        }

        await db.Database.OpenConnectionAsync(ct);
        var cacheSize = await PrepareConnectionAsync(run, ct);
        try
        {
            for (var offset = 0; offset < unique.Count; offset += ChunkSize)
            {
                ct.ThrowIfCancellationRequested();
                var chunk = unique.GetRange(offset, Math.Min(ChunkSize, unique.Count - offset));
                await StartChunkAsync(run, chunk, ct);
            }
        }
        finally
        {
            db.ChangeTracker.Clear();
            if (cacheSize is not null)
            {
                await ScalarAsync($"PRAGMA cache_size = {cacheSize}", CancellationToken.None);
            }

            await db.Database.CloseConnectionAsync();
        }

        return new BulkStartReport(run.Started, run.AlreadyStarted, run.Errors);
    }

    private async Task StartChunkAsync(Run run, List<BulkStartItem> chunk, CancellationToken ct)
    {
        var pending = await WithoutStartedAsync(run, chunk, ct);
        if (pending.Count == 0)
        {
            return;
        }

        var householdIds = pending.Select(i => i.HouseholdId).Distinct().ToList();
        var known = (await db.Households.AsNoTracking().Where(h => EF.Parameter(householdIds).Contains(h.Id)).Select(h => h.Id).ToListAsync(ct)).ToHashSet();
        var teams = await TeamsAsync(householdIds.Where(known.Contains).ToList(), ct);
        await LoadStaffAsync(run, teams.SelectMany(g => g), ct);
        var facts = WorkContextLoader.NeedsFacts(run.Template) ? await FactsAsync(run, known, ct) : null;

        var started = new List<Transition>(pending.Count);
        foreach (var item in pending)
        {
            if (!known.Contains(item.HouseholdId))
            {
                run.Errors.Add(Describe(item, "there is no such household."));
                continue;
            }

            var context = new WorkContext(
                run.Calendar, run.Zone, [.. teams[item.HouseholdId], .. run.FirmAssignments], run.Staff,
                facts?.GetValueOrDefault(item.HouseholdId) ?? HouseholdFacts.None);
            var result = _engine.Start(run.Template, run.VersionId, new StartRequest(item.HouseholdId, item.Anchors, run.Actor, item.TriggerKey), context);
            if (result.IsSuccess)
            {
                started.Add(result.Value);
            }
            else
            {
                run.Errors.Add(Describe(item, result.Error!.Message));
            }
        }

        for (var attempt = 1; started.Count > 0; attempt++)
        {
            try
            {
                await WriteAsync(run, started, ct);
                run.Started += started.Count;
                return;
            }
            catch (DbException ex) when (attempt == 1 && IsConcurrentStart(ex))
            {
                // Another process started some of these occurrences meanwhile: drop them and write the rest once more.
                var keys = started.Where(t => t.Instance.TriggerKey is not null).Select(t => t.Instance.TriggerKey!).ToList();
                var taken = await ExistingKeysAsync(keys, ct);
                run.AlreadyStarted += started.RemoveAll(t => t.Instance.TriggerKey is { } k && taken.Contains(k));
            }
        }
    }

    /// <summary>Counts and removes items whose trigger key already started an instance.</summary>
    private async Task<List<BulkStartItem>> WithoutStartedAsync(Run run, List<BulkStartItem> chunk, CancellationToken ct)
    {
        var keys = chunk.Where(i => i.TriggerKey is not null).Select(i => i.TriggerKey!).ToList();
        if (keys.Count == 0)
        {
            return chunk;
        }

        var existing = await ExistingKeysAsync(keys, ct);
        var pending = chunk.Where(i => i.TriggerKey is null || !existing.Contains(i.TriggerKey)).ToList();
        run.AlreadyStarted += chunk.Count - pending.Count;
        return pending;
    }

    private async Task<HashSet<string>> ExistingKeysAsync(List<string> keys, CancellationToken ct) =>
        (await db.Instances.AsNoTracking()
            .Where(i => i.TriggerKey != null && EF.Parameter(keys).Contains(i.TriggerKey))
            .Select(i => i.TriggerKey!)
            .ToListAsync(ct))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// On SQLite, a page cache large enough for the indexes being extended (the default 2 MB makes every
    /// task row miss it several times); returns the size to restore. On PostgreSQL, the identity sequences.
    /// </summary>
    private async Task<string?> PrepareConnectionAsync(Run run, CancellationToken ct)
    {
        if (db.Provider == StorageProvider.PostgreSql)
        {
            run.InstanceSequence = await ScalarAsync("SELECT pg_get_serial_sequence('process_instances', 'id')", ct);
            run.TaskSequence = await ScalarAsync("SELECT pg_get_serial_sequence('work_tasks', 'id')", ct);
            return null;
        }

        var previous = await ScalarAsync("PRAGMA cache_size", ct);
        await ScalarAsync($"PRAGMA cache_size = -{SqliteCacheKib.ToString(CultureInfo.InvariantCulture)}", ct);
        return previous;
    }

    private async Task<string> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>
    /// The chunk's household teams, read straight from the table: EF's materialisation of a few tens of
    /// thousands of assignments costs more than everything else in a chunk's reads together.
    /// </summary>
    private async Task<ILookup<HouseholdId, TeamAssignment>> TeamsAsync(List<HouseholdId> householdIds, CancellationToken ct)
    {
        var assignments = new List<TeamAssignment>(householdIds.Count * 4);
        await using (var command = db.Database.GetDbConnection().CreateCommand())
        {
            const string columns = "SELECT household_id, role_key, staff_id, backups FROM team_assignments WHERE household_id";
            var ids = householdIds.Select(h => h.Value).ToArray();
            if (db.Provider == StorageProvider.PostgreSql)
            {
                command.CommandText = columns + " = ANY(@ids)";
                AuditWriter.AddParameter(command, "@ids", ids);
            }
            else
            {
                command.CommandText = columns + " IN (SELECT value FROM json_each(@ids))";
                AuditWriter.AddParameter(command, "@ids", JsonSerializer.Serialize(ids));
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var backups = (List<StaffId>)Conversions.StaffIdList.ConvertFromProvider(reader.GetString(3))!;
                assignments.Add(new TeamAssignment(new HouseholdId(reader.GetInt64(0)), reader.GetString(1), new StaffId(reader.GetInt64(2)), backups));
            }
        }

        return assignments.ToLookup(a => a.HouseholdId!.Value);
    }

    private async Task LoadStaffAsync(Run run, IEnumerable<TeamAssignment> assignments, CancellationToken ct)
    {
        var missing = assignments.SelectMany(a => a.CoverageOrder()).Where(id => !run.Staff.ContainsKey(id)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return;
        }

        foreach (var person in await db.Staff.AsNoTracking().Where(s => EF.Parameter(missing).Contains(s.Id)).ToListAsync(ct))
        {
            run.Staff[person.Id] = person;
        }
    }

    private async Task<Dictionary<HouseholdId, HouseholdFacts>> FactsAsync(Run run, HashSet<HouseholdId> householdIds, CancellationToken ct)
    {
        var ids = householdIds.ToList();
        var today = run.Firm.Today(clock);
        var households = await db.Households.AsNoTracking().AsSplitQuery()
            .Include(h => h.Members).Include(h => h.Accounts).Include(h => h.Policies)
            .Where(h => EF.Parameter(ids).Contains(h.Id))
            .ToListAsync(ct);
        return households.ToDictionary(h => h.Id, h => h.Facts(today));
    }

    /// <summary>Writes one chunk in one transaction: ids, instance and task rows, one audit event per instance, follow-on processes.</summary>
    private async Task WriteAsync(Run run, List<Transition> started, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        db.Actor = run.Actor;
        db.Operation = Operation;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var connection = db.Database.GetDbConnection();
            var tx = transaction.GetDbTransaction();
            var taskCount = started.Sum(t => t.Instance.Tasks.Count);
            var instanceIds = await AllocateAsync(connection, tx, "process_instances", run.InstanceSequence, started.Count, ct);
            var taskIds = await AllocateAsync(connection, tx, "work_tasks", run.TaskSequence, taskCount, ct);

            var rows = new Rows(started, instanceIds, taskIds);
            if (db.Provider == StorageProvider.PostgreSql)
            {
                await CopyAsync((NpgsqlConnection)connection, rows, ct);
            }
            else
            {
                Insert((SqliteConnection)connection, (SqliteTransaction)tx, rows);
            }

            var audit = AuditEvents(run, rows);
            var now = clock.GetCurrentInstant();
            var slice = db.Provider == StorageProvider.Sqlite ? SqliteAuditSlice : audit.Count;
            for (var offset = 0; offset < audit.Count; offset += slice)
            {
                await AuditWriter.AppendAsync(db, audit.GetRange(offset, Math.Min(slice, audit.Count - offset)), now, ct);
            }

            var events = started.SelectMany((t, n) => t.Events.Select(e => WithInstanceId(e, t.Instance, instanceIds[n]))).ToList();
            if (events.Count > 0)
            {
                // Rare: an instance finished as it started (every step's condition failed). Its follow-ons
                // start exactly as after a single start, through the tracked path.
                await new WorkService(db, clock).FollowOnAsync(events, run.Actor, ct);
                await db.SaveChangesAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.Operation = null;
        }
    }

    /// <summary>
    /// The engine names a completion event after the instance id, which a just-started instance does not have
    /// yet ("completed:key:0"); named so, every such instance after the first would find its follow-on's
    /// trigger key taken. Here the id is known, so the event gets it.
    /// </summary>
    private static DomainEvent WithInstanceId(DomainEvent e, ProcessInstance instance, long id) =>
        e.Kind == EventKind.ProcessCompleted && e.Key == $"completed:{instance.TemplateKey}:0"
            ? e with { Key = $"completed:{instance.TemplateKey}:{id.ToString(CultureInfo.InvariantCulture)}" }
            : e;

    /// <summary>
    /// Reserves ids. SQLite: the transaction holds the database's write lock, so the next ids after the
    /// current maximum are ours. PostgreSQL: drawn from the identity sequence, safe with concurrent writers.
    /// </summary>
    private async Task<long[]> AllocateAsync(DbConnection connection, DbTransaction tx, string table, string? sequence, int count, CancellationToken ct)
    {
        var ids = new long[count];
        if (count == 0)
        {
            return ids;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        if (db.Provider == StorageProvider.PostgreSql)
        {
            command.CommandText = "SELECT nextval(CAST(@sequence AS regclass)) FROM generate_series(1, @n)";
            AuditWriter.AddParameter(command, "@sequence", sequence);
            AuditWriter.AddParameter(command, "@n", count);
            await using var reader = await command.ExecuteReaderAsync(ct);
            for (var i = 0; await reader.ReadAsync(ct); i++)
            {
                ids[i] = reader.GetInt64(0);
            }

            return ids;
        }

        command.CommandText = $"SELECT COALESCE(MAX(id), 0) FROM {table}";
        var max = Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        for (var i = 0; i < count; i++)
        {
            ids[i] = max + 1 + i;
        }

        return ids;
    }

    /// <summary>
    /// SQLite runs in-process, so there is no I/O to wait for until the commit: one prepared statement per
    /// table, rebound and run synchronously per row.
    /// </summary>
    private static void Insert(SqliteConnection connection, SqliteTransaction tx, Rows rows)
    {
        using var instances = Prepare(connection, tx, "process_instances", InstanceColumns);
        using var tasks = Prepare(connection, tx, "work_tasks", TaskColumns);
        var iv = instances.Parameters;
        var tv = tasks.Parameters;
        for (var n = 0; n < rows.Started.Count; n++)
        {
            var instance = rows.Started[n].Instance;
            iv[0].Value = rows.InstanceIds[n];
            iv[1].Value = instance.TemplateVersionId.Value;
            iv[2].Value = instance.TemplateKey;
            iv[3].Value = instance.TemplateName;
            iv[4].Value = (object?)instance.HouseholdId?.Value ?? DBNull.Value;
            iv[5].Value = Anchors(instance);
            iv[6].Value = instance.Status.ToString();
            iv[7].Value = instance.StartedBy;
            iv[8].Value = instance.StartedAt.ToDateTimeUtc();
            iv[9].Value = instance.StartedOn.ToDateOnly();
            iv[10].Value = (object?)instance.EndedAt?.ToDateTimeUtc() ?? DBNull.Value;
            iv[11].Value = (object?)instance.TriggerKey ?? DBNull.Value;
            iv[12].Value = instance.Version;
            instances.ExecuteNonQuery();
        }

        foreach (var (task, id, instanceId) in rows.Tasks())
        {
            tv[0].Value = id;
            tv[1].Value = instanceId;
            tv[2].Value = (object?)task.HouseholdId?.Value ?? DBNull.Value;
            tv[3].Value = task.StepKey;
            tv[4].Value = task.Title;
            tv[5].Value = task.RoleKey;
            tv[6].Value = (object?)task.AssigneeId?.Value ?? DBNull.Value;
            tv[7].Value = task.RoutingNote;
            tv[8].Value = task.EstimatedMinutes;
            tv[9].Value = task.Status.ToString();
            tv[10].Value = (object?)task.DueOn?.ToDateOnly() ?? DBNull.Value;
            tv[11].Value = (object?)task.OverdueSince?.ToDateOnly() ?? DBNull.Value;
            tv[12].Value = task.ActivatedAt.ToDateTimeUtc();
            tv[13].Value = (object?)task.StartedAt?.ToDateTimeUtc() ?? DBNull.Value;
            tv[14].Value = (object?)task.ClosedAt?.ToDateTimeUtc() ?? DBNull.Value;
            tv[15].Value = (object?)task.ClosedBy ?? DBNull.Value;
            tv[16].Value = (object?)task.Note ?? DBNull.Value;
            tv[17].Value = task.Version;
            tasks.ExecuteNonQuery();
        }
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction tx, string table, string[] columns)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
        for (var i = 0; i < columns.Length; i++)
        {
            command.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), DBNull.Value));
        }

        command.Prepare();
        return command;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, Rows rows, CancellationToken ct)
    {
        // Binary COPY joins the connection's open transaction.
        await using (var copy = await connection.BeginBinaryImportAsync($"COPY process_instances ({string.Join(", ", InstanceColumns)}) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var n = 0; n < rows.Started.Count; n++)
            {
                var instance = rows.Started[n].Instance;
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(rows.InstanceIds[n], NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(instance.TemplateVersionId.Value, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(instance.TemplateKey, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(instance.TemplateName, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(copy, instance.HouseholdId?.Value, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(Anchors(instance), NpgsqlDbType.Text, ct);
                await copy.WriteAsync(instance.Status.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(instance.StartedBy, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(instance.StartedAt.ToDateTimeUtc(), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(instance.StartedOn.ToDateOnly(), NpgsqlDbType.Date, ct);
                await WriteNullableAsync(copy, instance.EndedAt?.ToDateTimeUtc(), NpgsqlDbType.TimestampTz, ct);
                await WriteNullableAsync(copy, instance.TriggerKey, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(instance.Version, NpgsqlDbType.Integer, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY work_tasks ({string.Join(", ", TaskColumns)}) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (task, id, instanceId) in rows.Tasks())
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(id, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(instanceId, NpgsqlDbType.Bigint, ct);
                await WriteNullableAsync(copy, task.HouseholdId?.Value, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(task.StepKey, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(task.Title, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(task.RoleKey, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(copy, task.AssigneeId?.Value, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(task.RoutingNote, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(task.EstimatedMinutes, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(task.Status.ToString(), NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(copy, task.DueOn?.ToDateOnly(), NpgsqlDbType.Date, ct);
                await WriteNullableAsync(copy, task.OverdueSince?.ToDateOnly(), NpgsqlDbType.Date, ct);
                await copy.WriteAsync(task.ActivatedAt.ToDateTimeUtc(), NpgsqlDbType.TimestampTz, ct);
                await WriteNullableAsync(copy, task.StartedAt?.ToDateTimeUtc(), NpgsqlDbType.TimestampTz, ct);
                await WriteNullableAsync(copy, task.ClosedAt?.ToDateTimeUtc(), NpgsqlDbType.TimestampTz, ct);
                await WriteNullableAsync(copy, task.ClosedBy, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(copy, task.Note, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(task.Version, NpgsqlDbType.Integer, ct);
            }

            await copy.CompleteAsync(ct);
        }
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct)
        where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, ct) : copy.WriteNullAsync(ct);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, type, ct);

    /// <summary>Anchors exactly as EF stores them (the model's converter), so both paths read back alike.</summary>
    private static string Anchors(ProcessInstance instance) => (string)Conversions.DateMap.ConvertToProvider(instance.Anchors)!;

    private static List<PendingAuditEvent> AuditEvents(Run run, Rows rows)
    {
        var events = new List<PendingAuditEvent>(rows.Started.Count);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(buffer);
        var taskIndex = 0;
        for (var n = 0; n < rows.Started.Count; n++)
        {
            var instance = rows.Started[n].Instance;
            buffer.ResetWrittenCount();
            json.Reset(buffer);
            json.WriteStartObject();
            json.WriteString("template", instance.TemplateKey);
            json.WriteNumber("templateVersion", run.VersionNumber);
            json.WriteNumber("templateVersionId", instance.TemplateVersionId.Value);
            if (instance.HouseholdId is { } hh)
            {
                json.WriteNumber("householdId", hh.Value);
            }
            else
            {
                json.WriteNull("householdId");
            }

            json.WriteString("triggerKey", instance.TriggerKey);
            json.WriteString("status", instance.Status.ToString());
            json.WriteStartObject("anchors");
            foreach (var (name, date) in instance.Anchors)
            {
                json.WriteString(name, date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture));
            }

            json.WriteEndObject();
            json.WriteStartArray("tasks");
            foreach (var task in instance.Tasks)
            {
                json.WriteStartObject();
                json.WriteNumber("id", rows.TaskIds[taskIndex++]);
                json.WriteString("step", task.StepKey);
                json.WriteString("status", task.Status.ToString());
                if (task.AssigneeId is { } assignee)
                {
                    json.WriteNumber("assignee", assignee.Value);
                }
                else
                {
                    json.WriteNull("assignee");
                }

                json.WriteString("due", task.DueOn?.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            events.Add(new PendingAuditEvent(
                instance.HouseholdId?.Value, nameof(ProcessInstance), rows.InstanceIds[n].ToString(CultureInfo.InvariantCulture),
                "created", null, Encoding.UTF8.GetString(buffer.WrittenSpan)));
        }

        return events;
    }

    private static string Describe(BulkStartItem item, string message) =>
        item.TriggerKey is null ? $"Household {item.HouseholdId}: {message}" : $"Household {item.HouseholdId} ({item.TriggerKey}): {message}";

    /// <summary>A trigger key taken by another process meanwhile (or, on PostgreSQL, two writers waiting on each other's keys).</summary>
    private static bool IsConcurrentStart(DbException exception) => exception switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    private static readonly string[] InstanceColumns =
    [
        "id", "template_version_id", "template_key", "template_name", "household_id", "anchors", "status",
        "started_by", "started_at", "started_on", "ended_at", "trigger_key", "version",
    ];

    private static readonly string[] TaskColumns =
    [
        "id", "instance_id", "household_id", "step_key", "title", "role_key", "assignee_id", "routing_note",
        "estimated_minutes", "status", "due_on", "overdue_since", "activated_at", "started_at", "closed_at",
        "closed_by", "note", "version",
    ];

    /// <summary>What stays the same for every chunk of one call.</summary>
    private sealed class Run(TemplateVersionId versionId, int versionNumber, ProcessTemplate template, Firm firm, string actor)
    {
        public TemplateVersionId VersionId { get; } = versionId;

        public int VersionNumber { get; } = versionNumber;

        public ProcessTemplate Template { get; } = template;

        public Firm Firm { get; } = firm;

        public BusinessCalendar Calendar { get; } = firm.Calendar;

        public DateTimeZone Zone { get; } = firm.Zone;

        public string Actor { get; } = actor;

        public List<TeamAssignment> FirmAssignments { get; } = [];

        public Dictionary<StaffId, Staff> Staff { get; } = [];

        public List<string> Errors { get; } = [];

        public int Started { get; set; }

        public int AlreadyStarted { get; set; }

        /// <summary>PostgreSQL: the identity sequences ids are drawn from.</summary>
        public string? InstanceSequence { get; set; }

        public string? TaskSequence { get; set; }
    }

    /// <summary>A chunk's instances with the ids reserved for them and their tasks, in the same order.</summary>
    private sealed record Rows(List<Transition> Started, long[] InstanceIds, long[] TaskIds)
    {
        public IEnumerable<(WorkTask Task, long Id, long InstanceId)> Tasks()
        {
            var next = 0;
            for (var n = 0; n < Started.Count; n++)
            {
                foreach (var task in Started[n].Instance.Tasks)
                {
                    yield return (task, TaskIds[next++], InstanceIds[n]);
                }
            }
        }
    }
}
