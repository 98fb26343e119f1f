using System.Globalization;
using System.Text;
using System.Text.Json;
using Ensemble.Consolidation;
using Ensemble.Households;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>
/// Carries consolidated values into the household record, so that tiering, step conditions, letters and the
/// household page read what the firm's sources of truth decided rather than what was typed in once: income and
/// net worth into the stated facts, the client's and the spouse's birth dates into the members. Only values that
/// differ from the record are written, each change audited as an update of the household or the member.
/// </summary>
internal sealed class HouseholdRecordFeed
{
    private const string Income = "income";
    private const string NetWorth = "net_worth";
    private const string ClientBirth = "client.birth_date";
    private const string SpouseBirth = "spouse.birth_date";

    private readonly EnsembleDb _db;
    private readonly Instant _now;
    private readonly int _income, _netWorth, _clientBirth, _spouseBirth;
    private readonly Dictionary<long, Decided> _pending = [];

    public HouseholdRecordFeed(EnsembleDb db, FactCatalog catalog, Instant now)
    {
        _db = db;
        _now = now;
        _income = catalog.Get(Income).Ordinal;
        _netWorth = catalog.Get(NetWorth).Ordinal;
        _clientBirth = catalog.Get(ClientBirth).Ordinal;
        _spouseBirth = catalog.Get(SpouseBirth).Ordinal;
    }

    /// <summary>Households whose record this run changed (their tiers may have to be decided again).</summary>
    public HashSet<long> Changed { get; } = [];

    /// <summary>Remembers a household's consolidated values until the chunk is applied.</summary>
    public void Note(long household, IReadOnlyList<SheetValue> values)
    {
        var decided = new Decided();
        foreach (var v in values)
        {
            if (v.Ordinal == _income)
            {
                decided.Income = Money(v.Value);
            }
            else if (v.Ordinal == _netWorth)
            {
                decided.NetWorth = Money(v.Value);
            }
            else if (v.Ordinal == _clientBirth)
            {
                decided.ClientBirth = FactSheet.ToDate(v.Value).ToDateOnly();
            }
            else if (v.Ordinal == _spouseBirth)
            {
                decided.SpouseBirth = FactSheet.ToDate(v.Value).ToDateOnly();
            }
        }

        if (decided.Any)
        {
            _pending[household] = decided;
        }
    }

    /// <summary>Writes what differs from the record for the chunk's households noted so far.</summary>
    public async Task ApplyAsync(HouseholdChunk chunk, CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var households = new List<(long Id, decimal? Income, decimal? NetWorth)>();
        var members = new List<(long Id, DateOnly Birth)>();
        var audit = new List<PendingAuditEvent>();
        await ReadHouseholdsAsync(chunk, households, audit, cancellationToken);
        await ReadMembersAsync(chunk, members, audit, cancellationToken);
        _pending.Clear();

        await using (var update = BulkSql.Update(_db, "households", ["stated_household_income", "stated_net_worth"], "id"))
        {
            foreach (var (id, income, netWorth) in households)
            {
                await update.AddAsync([income, netWorth, id], cancellationToken);
            }

            await update.FlushAsync(cancellationToken);
        }

        await using (var update = BulkSql.Update(_db, "members", ["birth_date"], "id"))
        {
            foreach (var (id, birth) in members)
            {
                await update.AddAsync([birth, id], cancellationToken);
            }

            await update.FlushAsync(cancellationToken);
        }

        await AuditWriter.AppendAsync(_db, audit, _now, cancellationToken);
    }

    private async Task ReadHouseholdsAsync(HouseholdChunk chunk, List<(long, decimal?, decimal?)> updates, List<PendingAuditEvent> audit, CancellationToken cancellationToken)
    {
        await BulkSql.ReadAsync(_db, "SELECT id, stated_household_income, stated_net_worth FROM households WHERE " + chunk.Filter("id"), r =>
        {
            var id = r.GetInt64(0);
            if (!_pending.TryGetValue(id, out var decided) || (decided.Income is null && decided.NetWorth is null))
            {
                return;
            }

            decimal? income = r.IsDBNull(1) ? null : r.GetDecimal(1), worth = r.IsDBNull(2) ? null : r.GetDecimal(2);
            var before = new List<(string, object?)>();
            var after = new List<(string, object?)>();
            Compare("Stated.HouseholdIncome", income, decided.Income, before, after);
            Compare("Stated.NetWorth", worth, decided.NetWorth, before, after);
            if (after.Count > 0)
            {
                updates.Add((id, decided.Income ?? income, decided.NetWorth ?? worth));
                audit.Add(new PendingAuditEvent(id, nameof(Household), id.ToString(CultureInfo.InvariantCulture), "updated", Snapshot(before), Snapshot(after)));
                Changed.Add(id);
            }
        }, cancellationToken, chunk.Parameters);
    }

    // The client is the primary member (else the first one); the spouse the first spouse or partner. A household without them keeps its birth dates on the fact sheet only.
    private async Task ReadMembersAsync(HouseholdChunk chunk, List<(long, DateOnly)> updates, List<PendingAuditEvent> audit, CancellationToken cancellationToken)
    {
        if (!_pending.Values.Any(d => d.ClientBirth is not null || d.SpouseBirth is not null))
        {
            return;
        }

        var found = new Dictionary<long, (Found Client, Found Spouse)>();
        await BulkSql.ReadAsync(_db, "SELECT id, household_id, relationship, birth_date FROM members WHERE " + chunk.Filter("household_id") + " ORDER BY household_id, id", r =>
        {
            var household = r.GetInt64(1);
            if (!_pending.ContainsKey(household))
            {
                return;
            }

            var member = new Found(r.GetInt64(0), r.IsDBNull(3) ? null : r.GetFieldValue<DateOnly>(3), true);
            var (client, spouse) = found.GetValueOrDefault(household);
            var relationship = r.GetString(2);
            if (relationship == nameof(Relationship.Primary) && !client.Primary)
            {
                client = member;
            }
            else if (client.Id == 0)
            {
                client = member with { Primary = false };
            }

            if (spouse.Id == 0 && relationship is nameof(Relationship.Spouse) or nameof(Relationship.Partner))
            {
                spouse = member;
            }

            found[household] = (client, spouse);
        }, cancellationToken, chunk.Parameters);

        foreach (var (household, (client, spouse)) in found)
        {
            var decided = _pending[household];
            Birth(household, client, decided.ClientBirth, updates, audit);
            Birth(household, spouse, decided.SpouseBirth, updates, audit);
        }
    }

    private void Birth(long household, Found member, DateOnly? decided, List<(long, DateOnly)> updates, List<PendingAuditEvent> audit)
    {
        if (member.Id == 0 || decided is null || decided == member.Birth)
        {
            return;
        }

        updates.Add((member.Id, decided.Value));
        audit.Add(new PendingAuditEvent(household, nameof(Member), member.Id.ToString(CultureInfo.InvariantCulture), "updated",
            Snapshot([("BirthDate", member.Birth)]), Snapshot([("BirthDate", decided)])));
        Changed.Add(household);
    }

    private static void Compare(string field, decimal? held, decimal? decided, List<(string, object?)> before, List<(string, object?)> after)
    {
        if (decided is not null && decided != held)
        {
            before.Add((field, held));
            after.Add((field, decided));
        }
    }

    // Stated amounts are kept to the cent.
    private static decimal? Money(double value) =>
        double.IsFinite(value) && Math.Abs(value) < 1e15 ? Math.Round((decimal)value, 2, MidpointRounding.AwayFromZero) : null;

    // The same shape the change tracker's audit gives a changed property, so the timeline reads both alike.
    private static string Snapshot(List<(string Field, object? Value)> fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (field, value) in fields)
            {
                switch (value)
                {
                    case decimal d: json.WriteNumber(field, d); break;
                    case DateOnly d: json.WriteString(field, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                    default: json.WriteNull(field); break;
                }
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed class Decided
    {
        public decimal? Income;
        public decimal? NetWorth;
        public DateOnly? ClientBirth;
        public DateOnly? SpouseBirth;

        public bool Any => Income is not null || NetWorth is not null || ClientBirth is not null || SpouseBirth is not null;
    }

    private readonly record struct Found(long Id, DateOnly? Birth, bool Primary);
}
