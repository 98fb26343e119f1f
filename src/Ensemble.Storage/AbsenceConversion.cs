using System.Globalization;
using System.Text.Json;
using Ensemble.Practice;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Storage;

/// <summary>Absences are few per person and always read with them: stored as a JSON list in the staff row.</summary>
internal static class AbsenceConversion
{
    private sealed record Row(string From, string To, string? Note);

    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;

    public static readonly ValueConverter<List<Absence>, string> Converter = new(
        list => Write(list),
        text => Read(text));

    internal static string Write(List<Absence> list) =>
        JsonSerializer.Serialize(list.Select(a => new Row(Iso.Format(a.From), Iso.Format(a.To), a.Note)).ToList(), Conversions.JsonOptions);

    internal static List<Absence> Read(string text) =>
        (JsonSerializer.Deserialize<List<Row>>(text, Conversions.JsonOptions) ?? [])
            .Select(r => new Absence(Iso.Parse(r.From).Value, Iso.Parse(r.To).Value, r.Note))
            .ToList();
}
