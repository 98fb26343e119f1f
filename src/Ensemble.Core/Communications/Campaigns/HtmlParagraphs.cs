using System.Text;

namespace Ensemble.Communications.Campaigns;

/// <summary>
/// The HTML part of a message: the rendered text, every character of it encoded (so a name like "O'Brien &amp; Co"
/// or a stray "&lt;" is text, never markup), blank lines making paragraphs and single line breaks kept.
/// </summary>
public static class HtmlParagraphs
{
    public static string Document(string subject, string text)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(text);
        var html = new StringBuilder(text.Length + 200);
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
        Encode(html, subject);
        html.Append("</title></head>\n<body>\n");
        foreach (var paragraph in Paragraphs(text))
        {
            html.Append("<p>");
            var lines = paragraph.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (i > 0)
                {
                    html.Append("<br>\n");
                }

                Encode(html, lines[i]);
            }

            html.Append("</p>\n");
        }

        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>Text split at blank lines, each paragraph trimmed of surrounding blank space.</summary>
    public static IReadOnlyList<string> Paragraphs(string text)
    {
        var paragraphs = new List<string>();
        var current = new List<string>();
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                Flush();
            }
            else
            {
                current.Add(line.TrimEnd());
            }
        }

        Flush();
        return paragraphs;

        void Flush()
        {
            if (current.Count > 0)
            {
                paragraphs.Add(string.Join('\n', current));
                current.Clear();
            }
        }
    }

    /// <summary>Encodes the five characters that mean something in HTML; other characters stay as they are (the part is UTF-8).</summary>
    public static void Encode(StringBuilder html, string text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': html.Append("&amp;"); break;
                case '<': html.Append("&lt;"); break;
                case '>': html.Append("&gt;"); break;
                case '"': html.Append("&quot;"); break;
                case '\'': html.Append("&#39;"); break;
                default: html.Append(c); break;
            }
        }
    }
}
