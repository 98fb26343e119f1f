using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Ensemble.Households;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Storage.Import;

/// <summary>One data row of a CSV file with typed accessors that record errors at the row's line and the field's column.</summary>
internal sealed class CsvRow(CsvTable table, string[] fields, int line)
{
    public int Line { get; } = line;

    public string? Text(string field, bool required = false)
    {
        if (!table.Columns.TryGetValue(field, out var index) || index >= fields.Length)
        {
            if (required)
            {
                table.Error(Line, index + 1, field, "is required");
            }

            return null;
        }

        var value = fields[index].Trim();
        if (value.Length == 0)
        {
            if (required)
            {
                table.Error(Line, index + 1, field, "is required");
            }

            return null;
        }

        return value;
    }

    public decimal? Decimal(string field, bool required = false)
    {
        var text = Text(field, required);
        if (text is null)
        {
            return null;
        }

        var cleaned = text.Replace("$", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        if (decimal.TryParse(cleaned, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }

        return Fail<decimal?>(field, $"\"{text}\" is not an amount (expected a number such as 1250000 or $1,250,000.00)");
    }

    public int? Int(string field)
    {
        var text = Text(field);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : Fail<int?>(field, $"\"{text}\" is not a whole number of 0 or more");
    }

    public bool Bool(string field)
    {
        var text = Text(field);
        return text?.ToLowerInvariant() switch
        {
            null or "false" or "no" or "0" or "n" => false,
            "true" or "yes" or "1" or "y" => true,
            _ => Fail<bool>(field, $"\"{text}\" is not true or false (yes/no and 1/0 also work)"),
        };
    }

    public LocalDate? Date(string field)
    {
        var text = Text(field);
        if (text is null)
        {
            return null;
        }

        var parsed = LocalDatePattern.Iso.Parse(text);
        return parsed.Success ? parsed.Value : Fail<LocalDate?>(field, $"\"{text}\" is not a date (expected yyyy-MM-dd)");
    }

    public LifecycleStage Stage(string field)
    {
        var text = Text(field);
        return text?.ToLowerInvariant() switch
        {
            null or "prospect" => LifecycleStage.Prospect,
            "client" => LifecycleStage.Client,
            "former-client" or "former_client" or "former client" => LifecycleStage.FormerClient,
            _ => Fail<LifecycleStage>(field, $"\"{text}\" is not a lifecycle stage (prospect, client or former-client)"),
        };
    }

    public Relationship Relationship(string field)
    {
        var text = Text(field);
        if (text is null)
        {
            return global::Ensemble.Households.Relationship.Other;
        }

        return Enum.TryParse<Relationship>(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : Fail<Relationship>(field, $"\"{text}\" is not a relationship (primary, spouse, partner, child, dependant, parent or other)");
    }

    public string? Email(string field)
    {
        var text = Text(field);
        if (text is null)
        {
            return null;
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && text.IndexOf('.', at) > at + 1 && !text.EndsWith('.') && !text.Contains(' ', StringComparison.Ordinal)
            ? text
            : Fail<string?>(field, $"\"{text}\" is not an email address");
    }

    public List<string> List(string field) =>
        Text(field)?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() ?? [];

    public void Error(string field, string message) => table.Error(Line, table.Columns.TryGetValue(field, out var i) ? i + 1 : 1, field, message);

    private T Fail<T>(string field, string message)
    {
        Error(field, message);
        return default!;
    }
}

/// <summary>
/// Reads a CSV file with a header row, streaming, checking the headers against what the kind of file
/// allows and collecting every problem with its place instead of stopping at the first.
/// </summary>
internal sealed class CsvTable
{
    private readonly List<ImportError> _errors;

    private CsvTable(string file, List<ImportError> errors)
    {
        File = file;
        _errors = errors;
    }

    public string File { get; }

    public Dictionary<string, int> Columns { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void Error(int line, int column, string field, string message) => _errors.Add(new ImportError(File, line, column, field, message));

    /// <summary>Reads every row; header problems stop the read (rows would be misread), field problems do not.</summary>
    public static IEnumerable<CsvRow> Read(string path, IReadOnlyList<string> required, IReadOnlyList<string> optional, List<ImportError> errors)
    {
        var name = Path.GetFileName(path);
        if (!System.IO.File.Exists(path))
        {
            errors.Add(new ImportError(path, 0, 0, "", "the file does not exist"));
            yield break;
        }

        var table = new CsvTable(name, errors);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            DetectColumnCountChanges = false,
            BadDataFound = args => table.Error(args.Context.Parser?.RawRow ?? 0, 1, "", $"badly quoted field: {args.Field}"),
        };
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, config);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            table.Error(1, 1, "", "the file is empty; the first line must name the columns");
            yield break;
        }

        var headers = csv.HeaderRecord;
        var allowed = required.Concat(optional).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < headers.Length; i++)
        {
            var header = headers[i].Trim();
            if (!allowed.Contains(header))
            {
                table.Error(1, i + 1, header, $"unknown column; the columns are: {string.Join(", ", required.Concat(optional))}");
            }
            else if (!table.Columns.TryAdd(header, i))
            {
                table.Error(1, i + 1, header, "the column appears twice");
            }
        }

        foreach (var missing in required.Where(r => !table.Columns.ContainsKey(r)))
        {
            table.Error(1, 1, missing, "required column is missing");
        }

        if (errors.Count > 0)
        {
            yield break;
        }

        while (csv.Read())
        {
            var raw = csv.Parser.RawRecord;
            var extraLines = raw.TrimEnd('\r', '\n').Count(c => c == '\n');
            var fields = csv.Parser.Record ?? [];
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (fields.Length > headers.Length)
            {
                table.Error(csv.Parser.RawRow - extraLines, headers.Length + 1, "", $"the row has {fields.Length} fields but the header names {headers.Length}");
            }

            yield return new CsvRow(table, fields, csv.Parser.RawRow - extraLines);
        }
    }
}
