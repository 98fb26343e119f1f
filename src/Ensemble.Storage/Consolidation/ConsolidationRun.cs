using System.Globalization;
using System.Text;
using System.Text.Json;
using Ensemble.Consolidation;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>A value a source sends for a household's fact (verified at, Unix ms).</summary>
internal readonly record struct NewValue(int Ordinal, double Value, long VerifiedAt);

/// <summary>One household's values in one file or push, by fact ordinal, each fact once.</summary>
internal sealed record HouseholdValues(long HouseholdId, NewValue[] Values);

/// <summary>What a run changed.</summary>
public sealed class ConsolidationCounts
{
    public int ValuesCreated { get; internal set; }

    public int ValuesChanged { get; internal set; }

    public int ValuesReverified { get; internal set; }

    public int ValuesUnchanged { get; internal set; }

    /// <summary>Values the source had already sent with a later verification; the held value stays.</summary>
    public int ValuesOlder { get; internal set; }

    public int Households { get; internal set; }

    public int ConsolidatedChanged { get; internal set; }

    public int DiscrepanciesOpened { get; internal set; }

    public int DiscrepanciesClosed { get; internal set; }

    public int SheetsWritten { get; internal set; }
}

/// <summary>
/// Applies source values and consolidates the households they touch, a chunk of households at a time,
/// inside the caller's transaction: each chunk reads what every source holds for its households, applies
/// the new values, decides each touched fact again under the firm's rules, opens, updates or closes
/// discrepancies, and rewrites the households' fact sheets. Only the households named are touched.
/// </summary>
internal sealed partial class ConsolidationRun : IAsyncDisposable
{
    private static readonly string[] SourceColumns = ["household_id", "fact", "source", "value", "arrived_at", "verified_at", "import_id"];
    private static readonly string[] ConsolidatedColumns = ["household_id", "fact", "value", "source", "arrived_at", "verified_at", "chosen_by"];
    private static readonly string[] DiscrepancyColumns = ["household_id", "fact", "by_source", "detected_at"];

    private readonly EnsembleDb _db;
    private readonly ConsolidationSettings _settings;
    private readonly FactCatalog _catalog;
    private readonly long _now;
    private readonly Instant _nowInstant;
    private readonly LocalDate _today;
    private readonly DateTimeZone _zone;
    private readonly BulkSql _sourceUpsert;
    private readonly BulkSql _consolidatedUpsert;
    private readonly BulkSql _discrepancyInsert;
    private readonly BulkSql _discrepancyRevise;
    private readonly BulkSql _discrepancyClose;
    private readonly FactSheetWriter _sheets;
    private readonly HouseholdRecordFeed _record;
    private readonly HashSet<long> _unlisted = [];
    private SourceReading[] _buffer = new SourceReading[16];

    public ConsolidationRun(EnsembleDb db, ConsolidationSettings settings, LocalDate today, DateTimeZone zone, Instant now)
    {
        _db = db;
        _settings = settings;
        _catalog = settings.Catalog;
        _nowInstant = now;
        _today = today;
        _zone = zone;
        _now = now.ToUnixTimeMilliseconds();
        _sourceUpsert = BulkSql.Upsert(db, "source_values", SourceColumns, ["household_id", "fact", "source"]);
        _consolidatedUpsert = BulkSql.Upsert(db, "consolidated_values", ConsolidatedColumns, ["household_id", "fact"]);
        _discrepancyInsert = BulkSql.Insert(db, "discrepancies", DiscrepancyColumns);
        _discrepancyRevise = BulkSql.Update(db, "discrepancies", ["by_source"], "id");
        _discrepancyClose = BulkSql.Update(db, "discrepancies", ["resolved_at", "resolved_by", "resolution"], "id");
        _sheets = new FactSheetWriter(db, new FactSheetBuilder(settings, today, zone), now);
        _record = new HouseholdRecordFeed(db, _catalog, now);
    }

    public ConsolidationCounts Counts { get; } = new();

    /// <summary>Households whose record (stated income or net worth, a birth date) the run changed.</summary>
    public IReadOnlyCollection<long> RecordChanged => _record.Changed;

    /// <summary>Applies one source's values (households sorted by id) and consolidates what they touch; source value changes are audited per household.</summary>
    public async Task ApplyAsync(string source, long? importId, IReadOnlyList<HouseholdValues> incoming, CancellationToken cancellationToken)
    {
        var ids = incoming.Select(h => h.HouseholdId).ToList();
        foreach (var chunk in HouseholdChunks.Of(ids))
        {
            var held = await ReadSourceValuesAsync(chunk, cancellationToken);
            var lapsed = new HashSet<(long, int)>();
            var audit = new List<PendingAuditEvent>();
            for (var i = chunk.Start; i < chunk.Start + chunk.Count; i++)
            {
                await ApplyHouseholdAsync(source, importId, incoming[i], held, lapsed, audit, cancellationToken);
            }

            await _sourceUpsert.FlushAsync(cancellationToken);
            await AuditWriter.AppendAsync(_db, audit, _nowInstant, cancellationToken);
            await ConsolidateAsync(chunk, held, lapsed, null, cancellationToken);
        }

        await FlushAsync(cancellationToken);
    }

    /// <summary>Decides every fact of the given households again (sorted ids), with any new choices people made.</summary>
    public async Task RecomputeAsync(IReadOnlyList<long> ids, IReadOnlyDictionary<(long Household, int Ordinal), PersonChoice?>? choices, CancellationToken cancellationToken)
    {
        foreach (var chunk in HouseholdChunks.Of(ids))
        {
            var held = await ReadSourceValuesAsync(chunk, cancellationToken);
            await ConsolidateAsync(chunk, held, [], choices, cancellationToken);
        }

        await FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _sourceUpsert.DisposeAsync();
        await _consolidatedUpsert.DisposeAsync();
        await _discrepancyInsert.DisposeAsync();
        await _discrepancyRevise.DisposeAsync();
        await _discrepancyClose.DisposeAsync();
        await _sheets.DisposeAsync();
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _sourceUpsert.FlushAsync(cancellationToken);
        await _consolidatedUpsert.FlushAsync(cancellationToken);
        await _discrepancyInsert.FlushAsync(cancellationToken);
        await _discrepancyRevise.FlushAsync(cancellationToken);
        await _discrepancyClose.FlushAsync(cancellationToken);
        await _sheets.FlushAsync(cancellationToken);
        Counts.SheetsWritten = _sheets.Written;
    }

    /// <summary>What a source holds, per household, sorted by fact and source.</summary>
    private sealed class Held(int ordinal, SourceReading reading)
    {
        public int Ordinal { get; } = ordinal;

        public SourceReading Reading { get; set; } = reading;
    }

    private async Task<Dictionary<long, List<Held>>> ReadSourceValuesAsync(HouseholdChunk chunk, CancellationToken cancellationToken)
    {
        var wanted = chunk.Set();
        var held = new Dictionary<long, List<Held>>(chunk.Count);
        foreach (var id in wanted)
        {
            held[id] = [];
        }

        await BulkSql.ReadAsync(_db, "SELECT household_id, fact, source, value, arrived_at, verified_at FROM source_values WHERE " + chunk.Filter("household_id"), r =>
        {
            if (held.TryGetValue(r.GetInt64(0), out var list) && _catalog.TryGet(r.GetString(1), out var fact) && !fact.Derived)
            {
                list.Add(new Held(fact.Ordinal, new SourceReading(r.GetString(2), r.GetDouble(3), r.GetInt64(4), r.GetInt64(5))));
            }
            else if (list is not null)
            {
                // A row outside the catalog: this household's values are then upserted, never taken to be new.
                _unlisted.Add(r.GetInt64(0));
            }
        }, cancellationToken, chunk.Parameters);
        return held;
    }

    private async Task ApplyHouseholdAsync(string source, long? importId, HouseholdValues household, Dictionary<long, List<Held>> held,
        HashSet<(long, int)> lapsed, List<PendingAuditEvent> audit, CancellationToken cancellationToken)
    {
        var list = held[household.HouseholdId];
        var before = new List<(FactDefinition Fact, double? Old, NewValue New)>();
        var created = list.TrueForAll(h => h.Reading.Source != source);
        foreach (var value in household.Values)
        {
            var existing = list.Find(h => h.Ordinal == value.Ordinal && h.Reading.Source == source);
            var fact = _catalog[value.Ordinal];
            if (existing is null)
            {
                list.Add(new Held(value.Ordinal, new SourceReading(source, value.Value, _now, value.VerifiedAt)));
                lapsed.Add((household.HouseholdId, value.Ordinal));
                Counts.ValuesCreated++;
                before.Add((fact, null, value));
                await WriteSourceValueAsync(household.HouseholdId, fact.Key, source, value.Value, _now, value.VerifiedAt, importId, true, cancellationToken);
            }
            else if (value.VerifiedAt < existing.Reading.VerifiedAt)
            {
                Counts.ValuesOlder++;
            }
            else if (value.Value.Equals(existing.Reading.Value))
            {
                if (value.VerifiedAt > existing.Reading.VerifiedAt)
                {
                    existing.Reading = existing.Reading with { VerifiedAt = value.VerifiedAt };
                    Counts.ValuesReverified++;
                    before.Add((fact, value.Value, value));
                    await WriteSourceValueAsync(household.HouseholdId, fact.Key, source, value.Value, existing.Reading.ArrivedAt, value.VerifiedAt, importId, false, cancellationToken);
                }
                else
                {
                    Counts.ValuesUnchanged++;
                }
            }
            else
            {
                var old = existing.Reading.Value;
                existing.Reading = new SourceReading(source, value.Value, _now, value.VerifiedAt);
                lapsed.Add((household.HouseholdId, value.Ordinal));
                Counts.ValuesChanged++;
                before.Add((fact, old, value));
                await WriteSourceValueAsync(household.HouseholdId, fact.Key, source, value.Value, _now, value.VerifiedAt, importId, false, cancellationToken);
            }
        }

        if (before.Count > 0)
        {
            audit.Add(AuditOf(household.HouseholdId, source, created, before));
        }
    }

    // A value the source never sent before is new to the table (its household's rows were all read above), so PostgreSQL copies it in.
    private Task WriteSourceValueAsync(long household, string fact, string source, double value, long arrived, long verified, long? importId, bool isNew, CancellationToken cancellationToken)
    {
        object?[] row = [household, fact, source, value, arrived, verified, importId];
        return isNew && !_unlisted.Contains(household) ? _sourceUpsert.AddNewAsync(row, cancellationToken) : _sourceUpsert.AddAsync(row, cancellationToken);
    }

    // One event per household and source: what the source said before and now, fact by fact, and when it vouched for it.
    private static PendingAuditEvent AuditOf(long household, string source, bool created, List<(FactDefinition Fact, double? Old, NewValue New)> changes)
    {
        string Snapshot(bool after)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("Source", source);
                foreach (var (fact, old, value) in changes)
                {
                    if (after)
                    {
                        json.WriteString(fact.Key, FactValueText.Format(fact.Kind, value.Value));
                    }
                    else if (old is { } o)
                    {
                        json.WriteString(fact.Key, FactValueText.Format(fact.Kind, o));
                    }
                }

                if (after)
                {
                    json.WriteString("VerifiedAt", Instant.FromUnixTimeMilliseconds(changes.Max(c => c.New.VerifiedAt)).ToString("g", CultureInfo.InvariantCulture));
                }

                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        return new PendingAuditEvent(household, "SourceValues", $"{household}/{source}", created ? "created" : "updated", created ? null : Snapshot(after: false), Snapshot(after: true));
    }

    private async Task ConsolidateAsync(HouseholdChunk chunk, Dictionary<long, List<Held>> held, HashSet<(long, int)> lapsed,
        IReadOnlyDictionary<(long Household, int Ordinal), PersonChoice?>? choices, CancellationToken cancellationToken)
    {
        var range = chunk.Parameters;
        var consolidated = new Dictionary<(long, int), ConsolidatedFact>();
        await BulkSql.ReadAsync(_db, "SELECT household_id, fact, value, source, arrived_at, verified_at, chosen_by FROM consolidated_values WHERE " + chunk.Filter("household_id"), r =>
        {
            var id = r.GetInt64(0);
            if (held.ContainsKey(id) && _catalog.TryGet(r.GetString(1), out var fact))
            {
                consolidated[(id, fact.Ordinal)] = new ConsolidatedFact(
                    r.GetDouble(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetInt64(4), r.GetInt64(5), r.IsDBNull(6) ? null : r.GetString(6), false);
            }
        }, cancellationToken, range);

        var open = new Dictionary<(long, int), (long Id, string BySource)>();
        await BulkSql.ReadAsync(_db, "SELECT id, household_id, fact, by_source FROM discrepancies WHERE resolved_at IS NULL AND " + chunk.Filter("household_id"), r =>
        {
            var id = r.GetInt64(1);
            if (held.ContainsKey(id) && _catalog.TryGet(r.GetString(2), out var fact))
            {
                open[(id, fact.Ordinal)] = (r.GetInt64(0), r.GetString(3));
            }
        }, cancellationToken, range);

        var stated = consolidated.Where(c => c.Value.Source is null).ToLookup(c => c.Key.Item1, c => (Ordinal: c.Key.Item2, c.Value));
        var sheetValues = new Dictionary<long, List<SheetValue>>(held.Count);
        var openCounts = new Dictionary<long, int>();
        foreach (var (key, _) in open)
        {
            openCounts[key.Item1] = openCounts.GetValueOrDefault(key.Item1) + 1;
        }

        foreach (var (household, list) in held)
        {
            Counts.Households++;
            list.Sort((a, b) => a.Ordinal != b.Ordinal ? a.Ordinal.CompareTo(b.Ordinal) : string.CompareOrdinal(a.Reading.Source, b.Reading.Source));
            var values = new List<SheetValue>(list.Count);
            var i = 0;
            while (i < list.Count)
            {
                var ordinal = list[i].Ordinal;
                var n = 0;
                for (; i < list.Count && list[i].Ordinal == ordinal; i++)
                {
                    if (n == _buffer.Length)
                    {
                        Array.Resize(ref _buffer, n * 2);
                    }

                    _buffer[n++] = list[i].Reading;
                }

                var decided = await DecideAsync(household, ordinal, n, consolidated, open, openCounts, lapsed, choices, cancellationToken);
                values.Add(new SheetValue(ordinal, decided.Value, decided.VerifiedAt));
            }

            // A value a person stated stands even where no source holds the fact.
            foreach (var (ordinal, value) in stated[household])
            {
                if (!values.Exists(v => v.Ordinal == ordinal))
                {
                    values.Add(new SheetValue(ordinal, value.Value, value.VerifiedAt));
                }
            }

            sheetValues[household] = values;
            _record.Note(household, values);
        }

        await _consolidatedUpsert.FlushAsync(cancellationToken);
        await _discrepancyInsert.FlushAsync(cancellationToken);
        await _discrepancyRevise.FlushAsync(cancellationToken);
        await _discrepancyClose.FlushAsync(cancellationToken);

        // Before the sheets, so derived facts (the client's age) are worked out from the birth date just decided.
        await _record.ApplyAsync(chunk, cancellationToken);
        await _sheets.WriteAsync(chunk, sheetValues, openCounts, cancellationToken);
    }

    /// <param name="count">How many readings of the fact are in the buffer.</param>
    private async Task<ConsolidatedFact> DecideAsync(long household, int ordinal, int count, Dictionary<(long, int), ConsolidatedFact> consolidated,
        Dictionary<(long, int), (long Id, string BySource)> open, Dictionary<long, int> openCounts, HashSet<(long, int)> lapsed,
        IReadOnlyDictionary<(long Household, int Ordinal), PersonChoice?>? choices, CancellationToken cancellationToken)
    {
        var fact = _catalog[ordinal];
        var key = (household, ordinal);
        var had = consolidated.TryGetValue(key, out var existing);
        PersonChoice? choice = null;
        if (choices is not null && choices.TryGetValue(key, out var made))
        {
            choice = made;
        }
        else if (had && existing.ChosenBy is { } by && !lapsed.Contains(key))
        {
            // A person's choice holds until a source sends something new for the fact.
            choice = new PersonChoice(existing.Source, existing.Value, existing.VerifiedAt, by);
        }

        var decided = Consolidator.Decide(fact.Kind, _settings.RuleFor(fact), _buffer.AsSpan(0, count), choice);
        if (!had || !Same(existing, decided))
        {
            Counts.ConsolidatedChanged++;
            object?[] row = [household, fact.Key, decided.Value, decided.Source, decided.ArrivedAt, decided.VerifiedAt, decided.ChosenBy];
            await (had ? _consolidatedUpsert.AddAsync(row, cancellationToken) : _consolidatedUpsert.AddNewAsync(row, cancellationToken));
        }

        var needsOpen = decided.Disagree && decided.ChosenBy is null;
        var isOpen = open.TryGetValue(key, out var discrepancy);
        if (needsOpen)
        {
            var bySource = BySource(_buffer.AsSpan(0, count));
            if (!isOpen)
            {
                Counts.DiscrepanciesOpened++;
                openCounts[household] = openCounts.GetValueOrDefault(household) + 1;
                await _discrepancyInsert.AddAsync([household, fact.Key, bySource, _now], cancellationToken);
            }
            else if (discrepancy.BySource != bySource)
            {
                await _discrepancyRevise.AddAsync([bySource, discrepancy.Id], cancellationToken);
            }
        }
        else if (isOpen)
        {
            Counts.DiscrepanciesClosed++;
            openCounts[household]--;
            var resolution = decided.Disagree ? $"kept the choice of {decided.ChosenBy}" : Discrepancy.SourcesAgree;
            await _discrepancyClose.AddAsync([_now, decided.ChosenBy ?? "ensemble", resolution, discrepancy.Id], cancellationToken);
        }

        return decided;
    }

    private static bool Same(ConsolidatedFact a, ConsolidatedFact b) =>
        a.Value.Equals(b.Value) && a.Source == b.Source && a.ArrivedAt == b.ArrivedAt && a.VerifiedAt == b.VerifiedAt && a.ChosenBy == b.ChosenBy;

    // Sorted by source (the readings are), so the same disagreement always reads the same and an unchanged one is not rewritten.
    private static string BySource(ReadOnlySpan<SourceReading> readings)
    {
        var text = new StringBuilder("{");
        for (var i = 0; i < readings.Length; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(JsonSerializer.Serialize(readings[i].Source)).Append(':')
                .Append(readings[i].Value.ToString("R", CultureInfo.InvariantCulture));
        }

        return text.Append('}').ToString();
    }

}
