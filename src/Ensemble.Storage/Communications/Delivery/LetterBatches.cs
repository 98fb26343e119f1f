using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Ensemble.Communications;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Storage.Communications.Delivery;

/// <summary>
/// Letters leave Ensemble as a print batch per firm day: one print-ready HTML document per recipient (address block
/// placed for a windowed envelope, date, body, page set up for A4 and US Letter) and a manifest for the mail room.
/// </summary>
public static class LetterBatches
{
    private static readonly LocalDatePattern Day = LocalDatePattern.Iso;

    public static string NameFor(LocalDate day) => "letters-" + Day.Format(day);

    /// <summary>The batches there are, newest first, with how many letters each holds.</summary>
    public static async Task<IReadOnlyList<(string Batch, int Letters)>> ListAsync(EnsembleDb db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.Outbox.AsNoTracking()
            .Where(m => m.Channel == DeliveryChannel.Letter && m.Batch != null)
            .GroupBy(m => m.Batch!)
            .Select(g => new { Batch = g.Key, Letters = g.Count() })
            .ToListAsync(cancellationToken);
        return rows.OrderByDescending(r => r.Batch, StringComparer.Ordinal).Select(r => (r.Batch, r.Letters)).ToList();
    }

    /// <summary>Writes the batch as a ZIP: one HTML document per letter and manifest.csv; false when there is no such batch.</summary>
    public static async Task<bool> WriteZipAsync(EnsembleDb db, string batch, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(output);
        var letters = await db.Outbox.AsNoTracking()
            .Where(m => m.Channel == DeliveryChannel.Letter && m.Batch == batch)
            .OrderBy(m => m.Id)
            .ToListAsync(cancellationToken);
        if (letters.Count == 0)
        {
            return false;
        }

        var firm = await db.Firms.AsNoTracking().Select(f => f.Name).FirstOrDefaultAsync(cancellationToken) ?? "";
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var manifest = new StringBuilder("file,recipient,address,subject,message_id\r\n");
        var number = 0;
        foreach (var letter in letters)
        {
            number++;
            var file = $"{number.ToString("D5", CultureInfo.InvariantCulture)}-{letter.Id.ToString(CultureInfo.InvariantCulture)}.html";
            var entry = zip.CreateEntry(file, CompressionLevel.Optimal);
            await using (var writer = new StreamWriter(await entry.OpenAsync(cancellationToken), new UTF8Encoding(false)))
            {
                await writer.WriteAsync(Document(letter, firm));
            }

            manifest.Append(Csv(file)).Append(',').Append(Csv(letter.RecipientName)).Append(',').Append(Csv(letter.Address.Replace('\n', ',')))
                .Append(',').Append(Csv(letter.Subject)).Append(',').Append(Csv(letter.MessageId)).Append("\r\n");
        }

        var list = zip.CreateEntry("manifest.csv");
        await using (var writer = new StreamWriter(await list.OpenAsync(cancellationToken), new UTF8Encoding(false)))
        {
            await writer.WriteAsync(manifest.ToString());
        }

        return true;
    }

    /// <summary>One letter as a print-ready page.</summary>
    public static string Document(OutboxMessage letter, string firmName)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(letter.Subject)).Append("</title><style>")
            .Append("@page{size:auto;margin:20mm 20mm 25mm 25mm}body{font:11pt/1.45 Georgia,serif;color:#000;max-width:165mm}")
            .Append(".from{text-align:right;margin-bottom:12mm}.to{margin:0 0 14mm;min-height:30mm;white-space:pre-line}")
            .Append(".date{margin-bottom:8mm}h1{font-size:12pt;margin:0 0 6mm}p{margin:0 0 4mm}.ref{margin-top:14mm;font-size:8pt;color:#444}")
            .Append("</style></head><body>");
        html.Append("<div class=\"from\">").Append(E(firmName)).Append("</div>");
        html.Append("<div class=\"to\">").Append(E(letter.RecipientName)).Append('\n').Append(E(letter.Address)).Append("</div>");
        var dated = letter.SentAt ?? letter.QueuedAt;
        html.Append("<div class=\"date\">").Append(E(dated.ToDateTimeUtc().ToString("d MMMM yyyy", CultureInfo.InvariantCulture))).Append("</div>");
        html.Append("<h1>").Append(E(letter.Subject)).Append("</h1>");
        foreach (var paragraph in letter.TextBody.Replace("\r", "", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            html.Append("<p>").Append(E(paragraph).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</p>");
        }

        html.Append("<div class=\"ref\">Ref. ").Append(E(letter.MessageId)).Append("</div></body></html>");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Csv(string text) =>
        text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
