using NodaTime;

namespace Ensemble.Consolidation;

/// <summary>
/// A household's facts as one array of numbers in catalog order, NaN where a fact is not known. This is
/// what the advisory framework evaluates and what storage keeps per household, so the nightly run reads
/// one compact row per household and parses nothing.
/// </summary>
public static class FactSheet
{
    /// <summary>A date as a number: days since 0001-01-01 (so differences are days).</summary>
    public static double FromDate(LocalDate date) => date.ToDateOnly().DayNumber;

    public static LocalDate ToDate(double value) => LocalDate.FromDateOnly(DateOnly.FromDayNumber((int)value));

    public static double[] Empty(FactCatalog catalog)
    {
        var sheet = new double[catalog.Count];
        Array.Fill(sheet, double.NaN);
        return sheet;
    }

    /// <summary>Packs a sheet for storage: little-endian doubles.</summary>
    public static byte[] Pack(ReadOnlySpan<double> sheet) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(sheet).ToArray();

    /// <summary>Unpacks into <paramref name="into"/>; facts the stored sheet predates (a longer catalog) stay unknown.</summary>
    public static void Unpack(ReadOnlySpan<byte> packed, Span<double> into)
    {
        var stored = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(packed);
        var n = Math.Min(stored.Length, into.Length);
        stored[..n].CopyTo(into);
        into[n..].Fill(double.NaN);
    }
}
