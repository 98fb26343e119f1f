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
using SQLitePCL;

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
/// dates, routing and conditions are identical; only loading and writing differ. Items go in chunks of
/// <see cref="ChunkSize"/>. A chunk is planned on a second connection (occurrences already started are
/// dropped; teams, staff and facts are read for all its households at once; the engine runs per item)
/// while the chunk before it is written: ids reserved, rows written with raw SQL (statements bound by
/// position on SQLite, binary COPY on PostgreSQL), one audit event per instance, commit. Each chunk is
/// its own transaction, so items carrying a trigger key are idempotent: after a crash part-way, a re-run
/// starts only what is missing, and a key another process starts concurrently is detected and skipped.
/// Call it outside a transaction.
/// </remarks>
public sealed class BulkStarter(EnsembleDb db, IClock clock)
{
    /// <summary>Items per chunk: one transaction, and the number of households whose teams are read in one query.</summary>
    public const int ChunkSize = 5_000;

    private const string Operation = "bulk-start";

    /// <summary>SQLite page cache while a bulk start runs (KiB, as PRAGMA cache_size takes it when negative).</summary>
    private const int SqliteCacheKib = 64 * 1024;

    private readonly ProcessEngine _engine = new(clock);

    public async Task<BulkStartReport> StartAsync(TemplateVersionId versionId, IReadOnlyList<BulkStartItem> items, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("A bulk start commits chunk by chunk in transactions of its own; call it outside a transaction.");
        }

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
        await LoadStaffAsync(db, run, run.FirmAssignments, ct);

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
                run.AddAlreadyStarted(1);
            }
        }

        var chunks = unique.Chunk(ChunkSize).ToList();
        if (chunks.Count == 0)
        {
            return run.Report();
        }

        // Planning (reads and the engine) runs on a second connection, one chunk ahead of the writing.
        await using var planner = EnsembleDatabase.CreateContext(new DatabaseLocation(db.Provider, db.Database.GetConnectionString()!), clock);
        await planner.Database.OpenConnectionAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        List<string> restore = [];
        Task? unfinished = null;
        try
        {
            restore = await PrepareWriterAsync(run, ct);
            var planning = Task.Run(() => PlanAsync(planner, run, chunks[0], ct), ct);
            unfinished = planning;
            for (var n = 0; n < chunks.Count; n++)
            {
                var started = await planning;
                unfinished = null;
                if (n + 1 < chunks.Count)
                {
                    var following = chunks[n + 1];
                    planning = Task.Run(() => PlanAsync(planner, run, following, ct), ct);
                    unfinished = planning;
                }

                await WriteAsync(run, started, ct);
            }
        }
        finally
        {
            if (unfinished is not null)
            {
                // Something failed while a chunk was being planned: let the planning finish before its connection closes.
                try
                {
                    await unfinished;
                }
                catch (Exception)
                {
                    // The write's failure is the one reported.
                }
            }

            db.ChangeTracker.Clear();
            foreach (var sql in restore)
            {
                await SqlScalar.ReadAsync(db, sql, CancellationToken.None);
            }

            await db.Database.CloseConnectionAsync();
        }

        return run.Report();
    }

    /// <summary>
    /// Decides what one chunk starts: drops occurrences already started, reads the households' teams, the
    /// staff they name and (for templates with conditions) their facts, and runs the engine per item.
    /// </summary>
    private async Task<List<Transition>> PlanAsync(EnsembleDb reader, Run run, BulkStartItem[] chunk, CancellationToken ct)
    {
        var keys = chunk.Where(i => i.TriggerKey is not null).Select(i => i.TriggerKey!).ToList();
        var existing = keys.Count == 0 ? [] : await ExistingKeysAsync(reader, keys, ct);
        var pending = chunk.Where(i => i.TriggerKey is null || !existing.Contains(i.TriggerKey)).ToList();
        run.AddAlreadyStarted(chunk.Length - pending.Count);
        if (pending.Count == 0)
        {
            return [];
        }

        var (known, teams) = await TeamsAsync(reader, run, pending.Select(i => i.HouseholdId).Distinct().ToList(), ct);
        await LoadStaffAsync(reader, run, teams.SelectMany(g => g), ct);
        var facts = run.FactNeeds.Household ? await FactsAsync(reader, run, known, ct) : null;

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

        return started;
    }

    /// <summary>Writes a planned chunk; if another process started some of its occurrences meanwhile, drops those and writes the rest once more.</summary>
    private async Task WriteAsync(Run run, List<Transition> started, CancellationToken ct)
    {
        for (var attempt = 1; started.Count > 0; attempt++)
        {
            try
            {
                await WriteChunkAsync(run, started, ct);
                run.Started += started.Count;
                return;
            }
            catch (DbException ex) when (attempt == 1 && IsConcurrentStart(ex))
            {
                var keys = started.Where(t => t.Instance.TriggerKey is not null).Select(t => t.Instance.TriggerKey!).ToList();
                var taken = await ExistingKeysAsync(db, keys, ct);
                run.AddAlreadyStarted(started.RemoveAll(t => t.Instance.TriggerKey is { } k && taken.Contains(k)));
            }
        }
    }

    private static async Task<HashSet<string>> ExistingKeysAsync(EnsembleDb context, List<string> keys, CancellationToken ct) =>
        (await context.Instances.AsNoTracking()
            .Where(i => i.TriggerKey != null && EF.Parameter(keys).Contains(i.TriggerKey))
            .Select(i => i.TriggerKey!)
            .ToListAsync(ct))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// On SQLite, a page cache large enough for the indexes being extended (the default 2 MB makes every
    /// task row miss it several times); returns the statements that put the connection back as it was.
    /// On PostgreSQL, looks up the identity sequences ids are drawn from.
    /// </summary>
    private async Task<List<string>> PrepareWriterAsync(Run run, CancellationToken ct)
    {
        if (db.Provider == StorageProvider.PostgreSql)
        {
            run.InstanceSequence = await SqlScalar.ReadAsync(db, "SELECT pg_get_serial_sequence('process_instances', 'id')", ct);
            run.TaskSequence = await SqlScalar.ReadAsync(db, "SELECT pg_get_serial_sequence('work_tasks', 'id')", ct);
            return [];
        }

        var cacheSize = await SqlScalar.ReadAsync(db, "PRAGMA cache_size", ct);
        await SqlScalar.ReadAsync(db, $"PRAGMA cache_size = -{SqliteCacheKib.ToString(CultureInfo.InvariantCulture)}", ct);
        return [$"PRAGMA cache_size = {cacheSize}"];
    }

    /// <summary>
    /// Which of the households exist, and their teams for the roles the template uses, in one query read
    /// straight from the tables: EF's materialisation of tens of thousands of assignments would cost more
    /// than all the other reads of a chunk together.
    /// </summary>
    private static async Task<(HashSet<HouseholdId> Known, ILookup<HouseholdId, TeamAssignment> Teams)> TeamsAsync(
        EnsembleDb reader, Run run, List<HouseholdId> householdIds, CancellationToken ct)
    {
        var known = new HashSet<HouseholdId>(householdIds.Count);
        var assignments = new List<TeamAssignment>(householdIds.Count * run.Roles.Length);
        await using (var command = reader.Database.GetDbConnection().CreateCommand())
        {
            const string select = "SELECT h.id, t.role_key, t.staff_id, t.backups FROM households h LEFT JOIN team_assignments t ON t.household_id = h.id AND t.role_key ";
            var ids = householdIds.Select(h => h.Value).ToArray();
            if (reader.Provider == StorageProvider.PostgreSql)
            {
                command.CommandText = select + "= ANY(@roles) WHERE h.id = ANY(@ids)";
                AuditWriter.AddParameter(command, "@roles", run.Roles);
                AuditWriter.AddParameter(command, "@ids", ids);
            }
            else
            {
                command.CommandText = select + "IN (SELECT value FROM json_each(@roles)) WHERE h.id IN (SELECT value FROM json_each(@ids))";
                AuditWriter.AddParameter(command, "@roles", JsonSerializer.Serialize(run.Roles));
                AuditWriter.AddParameter(command, "@ids", JsonSerializer.Serialize(ids));
            }

            await using var rows = await command.ExecuteReaderAsync(ct);
            while (await rows.ReadAsync(ct))
            {
                var household = new HouseholdId(rows.GetInt64(0));
                known.Add(household);
                if (!rows.IsDBNull(1))
                {
                    var backups = (List<StaffId>)Conversions.StaffIdList.ConvertFromProvider(rows.GetString(3))!;
                    assignments.Add(new TeamAssignment(household, rows.GetString(1), new StaffId(rows.GetInt64(2)), backups));
                }
            }
        }

        return (known, assignments.ToLookup(a => a.HouseholdId!.Value));
    }

    private static async Task LoadStaffAsync(EnsembleDb reader, Run run, IEnumerable<TeamAssignment> assignments, CancellationToken ct)
    {
        var missing = assignments.SelectMany(a => a.CoverageOrder()).Where(id => !run.Staff.ContainsKey(id)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return;
        }

        foreach (var person in await reader.Staff.AsNoTracking().Where(s => EF.Parameter(missing).Contains(s.Id)).ToListAsync(ct))
        {
            run.Staff[person.Id] = person;
        }
    }

    private async Task<Dictionary<HouseholdId, HouseholdFacts>> FactsAsync(EnsembleDb reader, Run run, HashSet<HouseholdId> householdIds, CancellationToken ct)
    {
        var ids = householdIds.ToList();
        var today = run.Firm.Today(clock);
        var households = await reader.Households.AsNoTracking().AsSplitQuery()
            .Include(h => h.Members).Include(h => h.Accounts).Include(h => h.Policies)
            .Where(h => EF.Parameter(ids).Contains(h.Id))
            .ToListAsync(ct);
        var facts = households.ToDictionary(h => h.Id, h => h.Facts(today));

        // The stored tier and recent life events only when a condition reads them: one query each per chunk.
        if (run.FactNeeds.Tier)
        {
            foreach (var tier in await reader.HouseholdTiers.AsNoTracking().Where(t => EF.Parameter(ids).Contains(t.HouseholdId)).ToListAsync(ct))
            {
                if (facts.TryGetValue(tier.HouseholdId, out var f))
                {
                    facts[tier.HouseholdId] = f with { Tier = tier.InForceOn(today) };
                }
            }
        }

        if (run.FactNeeds.LifeEvents)
        {
            var since = HouseholdFacts.RecentSince(today);
            var events = await reader.LifeEvents.AsNoTracking()
                .Where(e => EF.Parameter(ids).Contains(e.HouseholdId) && e.OccurredOn >= since)
                .Select(e => new { e.HouseholdId, e.Kind })
                .ToListAsync(ct);
            foreach (var group in events.GroupBy(e => e.HouseholdId))
            {
                if (facts.TryGetValue(group.Key, out var f))
                {
                    facts[group.Key] = f with { RecentLifeEvents = group.Select(e => e.Kind).ToHashSet() };
                }
            }
        }

        return facts;
    }

    /// <summary>Writes one chunk in one transaction: ids, instance and task rows, one audit event per instance, follow-on processes.</summary>
    private async Task WriteChunkAsync(Run run, List<Transition> started, CancellationToken ct)
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
                Insert((SqliteConnection)connection, rows);
            }

            // The writer binds a prepared statement per event on SQLite, so the whole chunk goes in one call.
            await AuditWriter.AppendAsync(db, AuditEvents(run, rows), clock.GetCurrentInstant(), ct);

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
    /// highest ever used are ours (SQLite moves the table's AUTOINCREMENT counter past explicit ids).
    /// PostgreSQL: drawn from the identity sequence, safe with concurrent writers.
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

        // The id columns are AUTOINCREMENT: ids of deleted rows are never handed out again (their audit
        // history names them), so count on from the highest id ever used, not just the highest present.
        command.CommandText = $"SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0))";
        var max = Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        for (var i = 0; i < count; i++)
        {
            ids[i] = max + 1 + i;
        }

        return ids;
    }

    /// <summary>
    /// SQLite runs in-process, so there is nothing to wait for until the commit: one statement per table,
    /// prepared once and bound by position per row (see <see cref="SqliteRowStatement"/>).
    /// </summary>
    private static void Insert(SqliteConnection connection, Rows rows)
    {
        using (var insert = new SqliteRowStatement(connection, "process_instances", InstanceColumns))
        {
            for (var n = 0; n < rows.Started.Count; n++)
            {
                var instance = rows.Started[n].Instance;
                insert.Integer(rows.InstanceIds[n]).Integer(instance.TemplateVersionId.Value).Text(instance.TemplateKey)
                    .Text(instance.TemplateName).Integer(instance.HouseholdId?.Value).Text(Anchors(instance))
                    .Text(instance.Status.ToString()).Text(instance.StartedBy).Instant(instance.StartedAt).Date(instance.StartedOn)
                    .Instant(instance.EndedAt).Text(instance.TriggerKey).Integer(instance.Version)
                    .Execute();
            }
        }

        using (var insert = new SqliteRowStatement(connection, "work_tasks", TaskColumns))
        {
            foreach (var (task, id, instanceId) in rows.Tasks())
            {
                insert.Integer(id).Integer(instanceId).Integer(task.HouseholdId?.Value).Text(task.StepKey).Text(task.Title)
                    .Text(task.RoleKey).Integer(task.AssigneeId?.Value).Text(task.RoutingNote).Integer(task.EstimatedMinutes)
                    .Text(task.Status.ToString()).Date(task.DueOn).Date(task.OverdueSince).Instant(task.ActivatedAt)
                    .Instant(task.StartedAt).Instant(task.ClosedAt).Text(task.ClosedBy).Text(task.Note).Integer(task.Version)
                    .Execute();
            }
        }
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
                await copy.WriteNullableAsync(instance.HouseholdId?.Value, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(Anchors(instance), NpgsqlDbType.Text, ct);
                await copy.WriteAsync(instance.Status.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(instance.StartedBy, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(instance.StartedAt.ToDateTimeUtc(), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(instance.StartedOn.ToDateOnly(), NpgsqlDbType.Date, ct);
                await copy.WriteNullableAsync(instance.EndedAt?.ToDateTimeUtc(), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteNullableAsync(instance.TriggerKey, NpgsqlDbType.Text, ct);
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
                await copy.WriteNullableAsync(task.HouseholdId?.Value, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(task.StepKey, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(task.Title, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(task.RoleKey, NpgsqlDbType.Text, ct);
                await copy.WriteNullableAsync(task.AssigneeId?.Value, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(task.RoutingNote, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(task.EstimatedMinutes, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(task.Status.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteNullableAsync(task.DueOn?.ToDateOnly(), NpgsqlDbType.Date, ct);
                await copy.WriteNullableAsync(task.OverdueSince?.ToDateOnly(), NpgsqlDbType.Date, ct);
                await copy.WriteAsync(task.ActivatedAt.ToDateTimeUtc(), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteNullableAsync(task.StartedAt?.ToDateTimeUtc(), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteNullableAsync(task.ClosedAt?.ToDateTimeUtc(), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteNullableAsync(task.ClosedBy, NpgsqlDbType.Text, ct);
                await copy.WriteNullableAsync(task.Note, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(task.Version, NpgsqlDbType.Integer, ct);
            }

            await copy.CompleteAsync(ct);
        }
    }

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

    /// <summary>What stays the same for every chunk of one call, and the tallies (planning and writing run on two threads).</summary>
    private sealed class Run(TemplateVersionId versionId, int versionNumber, ProcessTemplate template, Firm firm, string actor)
    {
        private int _alreadyStarted;

        public TemplateVersionId VersionId { get; } = versionId;

        public int VersionNumber { get; } = versionNumber;

        public ProcessTemplate Template { get; } = template;

        /// <summary>Which facts the template's conditions read.</summary>
        public FactNeeds FactNeeds { get; } = WorkContextLoader.NeedsFacts(template);

        /// <summary>The roles the template's steps are for: the only team assignments worth reading.</summary>
        public string[] Roles { get; } = template.Steps.Select(s => s.Role).Distinct(StringComparer.Ordinal).ToArray();

        public Firm Firm { get; } = firm;

        public BusinessCalendar Calendar { get; } = firm.Calendar;

        public DateTimeZone Zone { get; } = firm.Zone;

        public string Actor { get; } = actor;

        public List<TeamAssignment> FirmAssignments { get; } = [];

        /// <summary>Read and extended by the planner only.</summary>
        public Dictionary<StaffId, Staff> Staff { get; } = [];

        /// <summary>Added to by the planner only.</summary>
        public List<string> Errors { get; } = [];

        /// <summary>Added to by the writer only.</summary>
        public int Started { get; set; }

        /// <summary>PostgreSQL: the identity sequences ids are drawn from.</summary>
        public string? InstanceSequence { get; set; }

        public string? TaskSequence { get; set; }

        public void AddAlreadyStarted(int count) => Interlocked.Add(ref _alreadyStarted, count);

        public BulkStartReport Report() => new(Started, Volatile.Read(ref _alreadyStarted), [.. Errors]);
    }

    /// <summary>
    /// An INSERT prepared once on SQLite's own statement handle and bound by position. Microsoft.Data.Sqlite
    /// binds every parameter by name and converts every value through object, which costs more per row than
    /// SQLite's own insert into the table and its indexes. Values are written in the text formats
    /// Microsoft.Data.Sqlite (and so EF Core) uses, so the rows read back exactly like EF-written ones.
    /// The statement runs in whatever transaction the connection has open.
    /// </summary>
    private sealed class SqliteRowStatement : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;
        private int _column;

        public SqliteRowStatement(SqliteConnection connection, string table, string[] columns)
        {
            _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
            var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(_ => "?"))})";
            var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        public SqliteRowStatement Integer(long value)
        {
            raw.sqlite3_bind_int64(_statement, ++_column, value);
            return this;
        }

        public SqliteRowStatement Integer(long? value) => value is { } v ? Integer(v) : Null();

        public SqliteRowStatement Text(string? value)
        {
            if (value is null)
            {
                return Null();
            }

            raw.sqlite3_bind_text(_statement, ++_column, value);
            return this;
        }

        public SqliteRowStatement Date(LocalDate? value) =>
            Text(value?.ToString("uuuu'-'MM'-'dd", CultureInfo.InvariantCulture));

        public SqliteRowStatement Instant(Instant? value) =>
            Text(value?.ToDateTimeUtc().ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture));

        public void Execute()
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                try
                {
                    SqliteException.ThrowExceptionForRC(rc, _db);
                }
                finally
                {
                    raw.sqlite3_reset(_statement);
                }
            }

            raw.sqlite3_reset(_statement);
            _column = 0;
        }

        public void Dispose() => _statement.Dispose();

        private SqliteRowStatement Null()
        {
            raw.sqlite3_bind_null(_statement, ++_column);
            return this;
        }
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
