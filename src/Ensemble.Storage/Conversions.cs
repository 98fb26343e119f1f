using System.Globalization;
using System.Text.Json;
using Ensemble.Common;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NodaTime;

namespace Ensemble.Storage;

/// <summary>
/// How domain types are stored. One set of converters serves both providers, so the model is the same
/// on SQLite and PostgreSQL: dates as date (TEXT yyyy-MM-dd on SQLite), instants as UTC timestamps.
/// </summary>
internal static class Conversions
{
    public static readonly ValueConverter<LocalDate, DateOnly> LocalDate = new(
        d => new DateOnly(d.Year, d.Month, d.Day),
        d => new NodaTime.LocalDate(d.Year, d.Month, d.Day));

    public static readonly ValueConverter<Instant, DateTime> Instant = new(
        i => i.ToDateTimeUtc(),
        d => NodaTime.Instant.FromDateTimeUtc(DateTime.SpecifyKind(d, DateTimeKind.Utc)));

    public static readonly ValueConverter<NodaTime.LocalDate?, DateOnly?> NullableLocalDate = new(
        d => d == null ? null : new DateOnly(d.Value.Year, d.Value.Month, d.Value.Day),
        d => d == null ? null : new NodaTime.LocalDate(d.Value.Year, d.Value.Month, d.Value.Day));

    public static readonly ValueConverter<Instant?, DateTime?> NullableInstant = new(
        i => i == null ? null : i.Value.ToDateTimeUtc(),
        d => d == null ? null : NodaTime.Instant.FromDateTimeUtc(DateTime.SpecifyKind(d.Value, DateTimeKind.Utc)));

    // A wall-clock time in the firm's zone. Stored as sortable ISO text so both providers keep it exactly
    // as written (PostgreSQL's timestamp types would otherwise want a UTC instant).
    public static readonly ValueConverter<LocalDateTime, string> LocalDateTime = new(
        t => t.ToString("uuuu-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        s => NodaTime.Text.LocalDateTimePattern.GeneralIso.Parse(s).Value);

    public static readonly ValueConverter<Money?, decimal?> NullableMoney = new(
        m => m == null ? null : m.Value.Amount,
        d => d == null ? null : new Money(d.Value));

    public static readonly ValueConverter<Money, decimal> Money = new(m => m.Amount, d => new Money(d));

    public static readonly ValueConverter<List<string>, string> StringList = new(
        l => string.Join('\u001f', l),
        s => s.Length == 0 ? new List<string>() : s.Split('\u001f', StringSplitOptions.None).ToList());

    public static readonly ValueComparer<List<string>> StringListComparer = ListComparer<string>();

    public static ValueComparer<List<T>> ListComparer<T>() => new(
        (a, b) => (a == null && b == null) || (a != null && b != null && a.SequenceEqual(b)),
        l => l.Aggregate(0, (h, v) => HashCode.Combine(h, v)),
        l => l.ToList());

    public static ValueConverter<List<T>, string> Json<T>() => new(
        l => JsonSerializer.Serialize(l, JsonOptions),
        s => JsonSerializer.Deserialize<List<T>>(s, JsonOptions) ?? new List<T>());

    public static readonly ValueConverter<List<NodaTime.LocalDate>, string> DateList = new(
        l => string.Join(',', l.Select(d => d.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture))),
        s => s.Length == 0 ? new List<NodaTime.LocalDate>() : s.Split(',', StringSplitOptions.None).Select(d => ParseDate(d)).ToList());

    public static readonly ValueConverter<Dictionary<string, NodaTime.LocalDate>, string> DateMap = new(
        m => JsonSerializer.Serialize(m.ToDictionary(kv => kv.Key, kv => kv.Value.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture)), JsonOptions),
        s => ReadDateMap(s));

    public static readonly ValueComparer<Dictionary<string, NodaTime.LocalDate>> DateMapComparer = new(
        (a, b) => (a == null && b == null) || (a != null && b != null && a.Count == b.Count && !a.Except(b).Any()),
        m => m.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value)),
        m => new Dictionary<string, NodaTime.LocalDate>(m, StringComparer.Ordinal));

    public static readonly ValueConverter<List<StaffId>, string> StaffIdList = new(
        l => string.Join(',', l.Select(s => s.Value)),
        s => s.Length == 0 ? new List<StaffId>() : s.Split(',', StringSplitOptions.None).Select(v => new StaffId(long.Parse(v, CultureInfo.InvariantCulture))).ToList());

    public static readonly ValueConverter<List<IsoDayOfWeek>, string> DayList = new(
        l => string.Join(',', l.Select(d => (int)d)),
        s => s.Length == 0 ? new List<IsoDayOfWeek>() : s.Split(',', StringSplitOptions.None).Select(v => (IsoDayOfWeek)int.Parse(v, CultureInfo.InvariantCulture)).ToList());

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    internal static Dictionary<string, NodaTime.LocalDate> ReadDateMap(string text) =>
        (JsonSerializer.Deserialize<Dictionary<string, string>>(text, JsonOptions) ?? new Dictionary<string, string>())
            .ToDictionary(kv => kv.Key, kv => ParseDate(kv.Value), StringComparer.Ordinal);

    // Internal, and called through lambdas rather than as a method group, so EF Core's compiled model can quote it.
    internal static NodaTime.LocalDate ParseDate(string text)
    {
        var d = DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new NodaTime.LocalDate(d.Year, d.Month, d.Day);
    }
}
