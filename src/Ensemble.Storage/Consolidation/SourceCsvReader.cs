using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Ensemble.Consolidation;
using Ensemble.Storage.Import;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>
/// Reads a source's CSV file: a <c>household</c> column with the household's key, one column per fact
/// (named by its catalog key; an empty cell sends nothing) and optionally <c>verified_at</c>.
/// </summary>
internal static class SourceCsvReader
{
    public const string HouseholdColumn = "household";
    public const string VerifiedColumn = "verified_at";

    public static IncomingValues Read(string path, FactCatalog catalog, DateTimeZone zone, Instant now)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            var missing = new IncomingValues(path, "");
            missing.Error(0, 0, "", "the file does not exist");
            return missing;
        }

        var incoming = new IncomingValues(name, IncomingValues.Hash(File.ReadAllBytes(path)));
        var (columns, derived) = Header(path, catalog, incoming);
        var optional = catalog.Facts.Select(f => f.Key).Append(VerifiedColumn).ToList();
        var sourced = catalog.Sourced.Where(f => columns.ContainsKey(f.Key)).ToList();
        foreach (var row in CsvTable.Read(path, [HouseholdColumn], optional, incoming.Errors))
        {
            if (derived)
            {
                // The header is wrong; reading rows against it would only repeat the problem on every line.
                break;
            }

            var household = row.Text(HouseholdColumn, required: true);
            Instant? verified = null;
            if (row.Text(VerifiedColumn) is { } stamp)
            {
                if (VerifiedStamp.TryParse(stamp, zone, now, out var at, out var error))
                {
                    verified = at;
                }
                else
                {
                    row.Error(VerifiedColumn, error);
                }
            }

            if (household is null)
            {
                continue;
            }

            var entry = incoming.Entries.Count;
            incoming.Entries.Add(new IncomingEntry(row.Line, columns.GetValueOrDefault(HouseholdColumn, 1), HouseholdColumn, household, verified));
            foreach (var fact in sourced)
            {
                if (row.Text(fact.Key) is not { } text)
                {
                    continue;
                }

                if (FactValueText.TryParse(fact.Kind, text, out var value, out var error))
                {
                    incoming.Values.Add(new IncomingValue(entry, fact.Ordinal, value, row.Line, columns.GetValueOrDefault(fact.Key, 1)));
                }
                else
                {
                    row.Error(fact.Key, error);
                }
            }
        }

        return incoming;
    }

    // The table checks the header; reading it here too tells where each field is (for problems found later,
    // such as an unknown household) and names columns of derived facts for what they are.
    private static (Dictionary<string, int> Columns, bool Derived) Header(string path, FactCatalog catalog, IncomingValues incoming)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = true, BadDataFound = null });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            return (columns, false);
        }

        var derived = false;
        for (var i = 0; i < csv.HeaderRecord.Length; i++)
        {
            var header = csv.HeaderRecord[i].Trim();
            columns.TryAdd(header, i + 1);
            if (catalog.TryGet(header, out var fact) && fact.Derived)
            {
                incoming.Error(1, i + 1, header, "is worked out by Ensemble from what it holds; a source cannot send it");
                derived = true;
            }
        }

        return (columns, derived);
    }
}
