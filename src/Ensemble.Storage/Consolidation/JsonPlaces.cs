namespace Ensemble.Storage.Consolidation;

/// <summary>Turns a JSON reader's byte offsets into lines and columns (1-based), so problems can name their place.</summary>
internal sealed class JsonPlaces
{
    private readonly int[] _lineStarts;

    public JsonPlaces(ReadOnlySpan<byte> content)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    public (int Line, int Column) Locate(long offset)
    {
        var index = Array.BinarySearch(_lineStarts, (int)offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, (int)offset - _lineStarts[line] + 1);
    }

    /// <summary>Content without a byte-order mark (Windows editors write one; the JSON reader does not expect it).</summary>
    public static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> content) =>
        content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? content[3..] : content;

    /// <summary>System.Text.Json's messages end with the path and position, which the caller reports itself.</summary>
    public static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = (cut > 0 ? message[..cut] : message).Trim();
        cut = text.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? text[..cut].Trim().TrimEnd('.') : text;
    }
}
