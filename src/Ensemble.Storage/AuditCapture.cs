using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using NodaTime;

namespace Ensemble.Storage;

/// <summary>An audit event waiting for its place in the chain.</summary>
internal sealed record PendingAuditEvent(long? HouseholdId, string EntityType, string EntityId, string Action, string? Before, string? After);

/// <summary>The events of one change, with who made it, what for and when (to the microsecond PostgreSQL keeps).</summary>
internal sealed record AuditBatch(IReadOnlyList<PendingAuditEvent> Events, string Actor, string? Operation, Instant At);

/// <summary>
/// Records every change the context is about to save: before values now (they are gone after the save),
/// after values and generated ids once the rows are written.
/// </summary>
internal sealed class AuditCapture
{
    private static readonly HashSet<Type> NotAudited = [typeof(AuditRow), typeof(AuditHeadRow), typeof(PeriodicCursor), typeof(TriggerOccurrence),
        typeof(Access.IdempotentRequest), typeof(Timers.DueTimer), typeof(Access.ProtectionKey),
        typeof(global::Ensemble.Practice.StaffNotification), typeof(global::Ensemble.Advisory.Alerts.Alert), typeof(global::Ensemble.Advisory.Alerts.AlertChange), typeof(Advisory.AdvisoryRunRow), typeof(Advisory.UnevaluatedRow)];

    // Credentials are recorded as changed, never with their values.
    private static readonly HashSet<string> Secret = [nameof(Access.UserAccount.PasswordHash), nameof(Access.UserAccount.SecurityStamp),
        nameof(Access.UserAccount.AuthenticatorKey), nameof(Access.ApiToken.Hash)];

    private readonly EntityEntry _entry;
    private readonly EntityState _state;
    private readonly string? _before;

    // The properties the event records (the changed ones of an update, all of a creation), each read through one entry.
    private readonly List<Recorded> _recorded;

    private AuditCapture(EntityEntry entry)
    {
        _entry = entry;
        _state = entry.State;
        _recorded = Properties(entry, changedOnly: _state == EntityState.Modified);
        if ((_state is EntityState.Modified or EntityState.Deleted) && _recorded.Count > 0)
        {
            _before = Snapshot(_recorded, original: true);
        }
    }

    // A property as the audit names it ("Address.City" inside a complex property); a secret's value is never written.
    private readonly record struct Recorded(string Name, PropertyEntry Entry, bool Secret);

    /// <summary>The changes about to be saved, as the tracker knows them: the caller has detected changes already.</summary>
    public static List<AuditCapture> Capture(ChangeTracker tracker)
    {
        var list = new List<AuditCapture>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && !NotAudited.Contains(entry.Metadata.ClrType))
            {
                var capture = new AuditCapture(entry);
                if (capture._state != EntityState.Modified || capture._recorded.Count > 0)
                {
                    list.Add(capture);
                }
            }
        }

        return list;
    }

    public PendingAuditEvent Complete()
    {
        var action = _state switch
        {
            EntityState.Added => "created",
            EntityState.Deleted => "deleted",
            _ => "updated",
        };
        var after = _state == EntityState.Deleted ? null : Snapshot(_recorded, original: false);
        return new PendingAuditEvent(HouseholdOf(_entry), _entry.Metadata.ClrType.Name, KeyOf(_entry), action, _before, after);
    }

    private static List<Recorded> Properties(EntityEntry entry, bool changedOnly)
    {
        var recorded = new List<Recorded>();
        foreach (var p in entry.Properties)
        {
            if (!changedOnly || (p.IsModified && !Equals(p.OriginalValue, p.CurrentValue) && p.Metadata.Name != "Version"))
            {
                recorded.Add(new Recorded(p.Metadata.Name, p, Secret.Contains(p.Metadata.Name)));
            }
        }

        foreach (var c in entry.ComplexProperties)
        {
            foreach (var p in c.Properties)
            {
                if (!changedOnly || (p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)))
                {
                    recorded.Add(new Recorded($"{c.Metadata.Name}.{p.Metadata.Name}", p, Secret: false));
                }
            }
        }

        return recorded;
    }

    private static string KeyOf(EntityEntry entry)
    {
        var key = entry.Metadata.FindPrimaryKey()!;
        return string.Join(",", key.Properties.Select(p => Format(ToProvider(entry.Property(p.Name)))));
    }

    private static long? HouseholdOf(EntityEntry entry)
    {
        if (entry.Entity is global::Ensemble.Households.Household h)
        {
            return h.Id.Value;
        }

        var property = entry.Metadata.FindProperty("HouseholdId");
        return property is null ? null : ToProvider(entry.Property(property.Name)) as long?;
    }

    // Each change writes two snapshots per row it touches, so the JSON is written into a buffer and writer the thread keeps.
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json)? t_writer;

    private static string Snapshot(List<Recorded> recorded, bool original)
    {
        var (buffer, json) = t_writer ??= NewWriter();
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartObject();
        foreach (var r in recorded)
        {
            json.WritePropertyName(r.Name);
            Write(json, r.Secret ? (r.Entry.CurrentValue is null ? null : "[redacted]") : ToProvider(r.Entry, original));
        }

        json.WriteEndObject();
        json.Flush();
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity > 64 * 1024)
        {
            // A buffer grown by one very large row is not kept for the thread's life.
            json.Dispose();
            t_writer = null;
        }

        return text;
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewWriter()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer));
    }

    private static object? ToProvider(PropertyEntry p, bool original = false)
    {
        var value = original ? p.OriginalValue : p.CurrentValue;
        if (value is null)
        {
            return null;
        }

        var converter = p.Metadata.GetValueConverter() ?? p.Metadata.GetTypeMapping().Converter;
        return converter is null ? value : converter.ConvertToProvider(value);
    }

    private static void Write(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int i: json.WriteNumberValue(i); break;
            case long l: json.WriteNumberValue(l); break;
            case decimal d: json.WriteNumberValue(d); break;
            case double d: json.WriteNumberValue(d); break;
            case DateOnly d: json.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case DateTime d: json.WriteStringValue(d.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)); break;
            case Enum e: json.WriteStringValue(e.ToString()); break;
            default: json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
