using System.Text.Json;
using Ensemble.Consolidation;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>
/// Reads a source's JSON: an array of <c>{"household": "HH-1001", "verified_at": "2026-11-01", "facts": {"income": 250000}}</c>.
/// Every problem is reported at its line and column; a value may be a JSON number, boolean or string
/// (read as the fact's kind, e.g. "250,000.50" or "35%"), or null for "nothing to send".
/// </summary>
internal ref struct SourceJsonReader
{
    private readonly FactCatalog _catalog;
    private readonly DateTimeZone _zone;
    private readonly Instant _now;
    private readonly IncomingValues _incoming;
    private readonly JsonPlaces _places;
    private Utf8JsonReader _json;

    private SourceJsonReader(ReadOnlySpan<byte> content, FactCatalog catalog, DateTimeZone zone, Instant now, IncomingValues incoming)
    {
        _catalog = catalog;
        _zone = zone;
        _now = now;
        _incoming = incoming;
        _places = new JsonPlaces(content);
        _json = new Utf8JsonReader(content, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
    }

    public static IncomingValues Read(ReadOnlySpan<byte> content, string file, FactCatalog catalog, DateTimeZone zone, Instant now)
    {
        var incoming = new IncomingValues(file, IncomingValues.Hash(content));
        content = JsonPlaces.WithoutBom(content);
        var reader = new SourceJsonReader(content, catalog, zone, now, incoming);
        try
        {
            reader.ReadDocument();
        }
        catch (JsonException ex)
        {
            incoming.Error((int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, "", JsonPlaces.FirstSentence(ex.Message));
        }

        return incoming;
    }

    private void ReadDocument()
    {
        if (!_json.Read() || _json.TokenType != JsonTokenType.StartArray)
        {
            Error("", "expected an array of entries: [{\"household\": \"HH-1001\", \"facts\": {…}}]");
            return;
        }

        while (_json.Read() && _json.TokenType != JsonTokenType.EndArray)
        {
            if (_json.TokenType != JsonTokenType.StartObject)
            {
                Error("", "each entry is an object with household, facts and optionally verified_at");
                _json.Skip();
                continue;
            }

            ReadEntry();
        }
    }

    private void ReadEntry()
    {
        var (line, column) = Here();
        string? household = null;
        int householdLine = line, householdColumn = column;
        Instant? verified = null;
        var values = new List<IncomingValue>();
        var entry = _incoming.Entries.Count;
        while (_json.Read() && _json.TokenType == JsonTokenType.PropertyName)
        {
            var name = _json.GetString()!;
            _json.Read();
            switch (name)
            {
                case "household":
                    (householdLine, householdColumn) = Here();
                    household = _json.TokenType == JsonTokenType.String ? _json.GetString()?.Trim() : null;
                    if (string.IsNullOrEmpty(household))
                    {
                        Error("household", "give the household's key as a string, e.g. \"HH-1001\"");
                        household = null;
                    }

                    break;
                case "verified_at":
                    if (_json.TokenType == JsonTokenType.Null)
                    {
                        break;
                    }

                    var error = "";
                    if (_json.TokenType == JsonTokenType.String && VerifiedStamp.TryParse(_json.GetString()!, _zone, _now, out var at, out error))
                    {
                        verified = at;
                    }
                    else
                    {
                        Error("verified_at", _json.TokenType == JsonTokenType.String ? error : "give a date (yyyy-MM-dd) or a time as a string");
                    }

                    break;
                case "facts":
                    ReadFacts(entry, values);
                    break;
                default:
                    Error(name, "unknown field; an entry has household, facts and optionally verified_at");
                    _json.Skip();
                    break;
            }
        }

        if (household is null)
        {
            if (_incoming.Errors.Count == 0 || _incoming.Errors[^1].Field != "household")
            {
                _incoming.Error(line, column, "household", "the entry names no household");
            }

            return;
        }

        _incoming.Entries.Add(new IncomingEntry(householdLine, householdColumn, "household", household, verified));
        _incoming.Values.AddRange(values);
    }

    private void ReadFacts(int entry, List<IncomingValue> values)
    {
        if (_json.TokenType != JsonTokenType.StartObject)
        {
            Error("facts", "expected an object of fact keys and values, e.g. {\"income\": 250000}");
            _json.Skip();
            return;
        }

        while (_json.Read() && _json.TokenType == JsonTokenType.PropertyName)
        {
            var key = _json.GetString()!;
            var (keyLine, keyColumn) = Here();
            _json.Read();
            var (line, column) = Here();
            if (!_catalog.TryGet(key, out var fact))
            {
                _incoming.Error(keyLine, keyColumn, key, "unknown fact; see `ensemble sources settings show` for the facts a source may send");
                _json.Skip();
                continue;
            }

            if (fact.Derived)
            {
                _incoming.Error(keyLine, keyColumn, key, "is worked out by Ensemble from what it holds; a source cannot send it");
                _json.Skip();
                continue;
            }

            if (TryValue(fact, out var value, out var error))
            {
                if (!double.IsNaN(value))
                {
                    values.Add(new IncomingValue(entry, fact.Ordinal, value, line, column));
                }
            }
            else
            {
                _incoming.Error(line, column, key, error);
            }
        }
    }

    private bool TryValue(FactDefinition fact, out double value, out string error)
    {
        value = double.NaN;
        error = "";
        switch (_json.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.String:
                return FactValueText.TryParse(fact.Kind, _json.GetString()!, out value, out error);
            case JsonTokenType.Number when fact.Kind is FactKind.Money or FactKind.Percent or FactKind.Number:
                value = _json.GetDouble();
                return true;
            case JsonTokenType.True or JsonTokenType.False when fact.Kind == FactKind.Flag:
                value = _json.TokenType == JsonTokenType.True ? 1 : 0;
                return true;
            default:
                error = fact.Kind switch
                {
                    FactKind.Date => "expected a date as a string (yyyy-MM-dd)",
                    FactKind.Flag => "expected true or false",
                    _ => "expected a number or a string such as \"250,000.50\"",
                };
                _json.Skip();
                return false;
        }
    }

    private void Error(string field, string message)
    {
        var (line, column) = Here();
        _incoming.Error(line, column, field, message);
    }

    private (int Line, int Column) Here() => _places.Locate(_json.TokenStartIndex);

    /// <summary>Reads a file; its name is what errors name.</summary>
    public static IncomingValues ReadFile(string path, FactCatalog catalog, DateTimeZone zone, Instant now)
    {
        if (!File.Exists(path))
        {
            var missing = new IncomingValues(path, "");
            missing.Error(0, 0, "", "the file does not exist");
            return missing;
        }

        return Read(File.ReadAllBytes(path), Path.GetFileName(path), catalog, zone, now);
    }
}
