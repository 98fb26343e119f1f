using Ensemble.Storage.Import;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>One value a source sent, checked, at its place in the file.</summary>
/// <param name="Entry">Index of the entry (CSV row or JSON object) it came in.</param>
/// <param name="Ordinal">The fact's position in the catalog.</param>
/// <param name="Value">As a fact-sheet number.</param>
internal readonly record struct IncomingValue(int Entry, int Ordinal, double Value, int Line, int Column);

/// <summary>One entry of a source file: a household, when the source last vouched for its values, and where it was written.</summary>
internal sealed record IncomingEntry(int Line, int Column, string Field, string HouseholdKey, Instant? VerifiedAt);

/// <summary>
/// What a source file (or push) holds once read: its entries and values, checked for kind and form, or
/// every problem found with its place. Households are checked against the database when it is applied.
/// </summary>
internal sealed class IncomingValues(string file, string contentHash)
{
    public string File { get; } = file;

    public string ContentHash { get; } = contentHash;

    public List<IncomingEntry> Entries { get; } = [];

    public List<IncomingValue> Values { get; } = [];

    public List<ImportError> Errors { get; } = [];

    public void Error(int line, int column, string field, string message) => Errors.Add(new ImportError(File, line, column, field, message));

    public static string Hash(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
}
