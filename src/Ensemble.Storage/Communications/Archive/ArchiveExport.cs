using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications.Archive;

/// <summary>What an export wrote.</summary>
public sealed record ArchiveExportReport(string HouseholdKey, int Messages, int Emails, int Letters, int PortalMessages);

/// <summary>
/// A household's archive as one ZIP: each email as an .eml rebuilt from its stored fields (with its own Message-ID),
/// each letter as the .txt that was printed (address block, then the text), each portal message as its .html (or
/// .txt), and index.csv with one line per message. File names start with the date so they sort in order.
/// </summary>
public sealed class ArchiveExport(EnsembleDb db)
{
    public const string IndexFile = "index.csv";

    /// <summary>Writes the household's ZIP to <paramref name="output"/>; null when there is no such household.</summary>
    public async Task<ArchiveExportReport?> WriteAsync(string householdKey, Stream output, CancellationToken cancellationToken = default)
    {
        var household = await db.Households.AsNoTracking().Where(h => h.Key == householdKey).Select(h => new { h.Id, h.Key }).SingleOrDefaultAsync(cancellationToken);
        if (household is null)
        {
            return null;
        }

        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var messages = await new OutboxArchive(db).OfHouseholdAsync(household.Id, cancellationToken);
        int emails = 0, letters = 0, portal = 0;
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            var index = new StringWriter(CultureInfo.InvariantCulture);
            using (var csv = new CsvWriter(index, CultureInfo.InvariantCulture, leaveOpen: true))
            {
                foreach (var name in Header)
                {
                    csv.WriteField(name);
                }

                csv.NextRecord();
                foreach (var message in messages)
                {
                    var file = FileName(message, firm.Zone);
                    var entry = zip.CreateEntry(file, CompressionLevel.Optimal);
                    entry.LastWriteTime = (message.SentAt ?? message.QueuedAt).ToDateTimeOffset();
                    await using (var stream = await entry.OpenAsync(cancellationToken))
                    {
                        switch (message.Channel)
                        {
                            case DeliveryChannel.Email:
                                emails++;
                                await ArchiveEml.WriteAsync(ArchiveEml.Build(message, firm.Name, household.Key), stream, cancellationToken);
                                break;
                            case DeliveryChannel.Letter:
                                letters++;
                                await stream.WriteAsync(Encoding.UTF8.GetBytes(Letter(message)), cancellationToken);
                                break;
                            default:
                                portal++;
                                await stream.WriteAsync(Encoding.UTF8.GetBytes(message.HtmlBody ?? message.TextBody), cancellationToken);
                                break;
                        }
                    }

                    Row(csv, file, message);
                }
            }

            var indexEntry = zip.CreateEntry(IndexFile, CompressionLevel.Optimal);
            await using var indexStream = await indexEntry.OpenAsync(cancellationToken);
            await indexStream.WriteAsync(Encoding.UTF8.GetBytes(index.ToString()), cancellationToken);
        }

        return new ArchiveExportReport(household.Key, messages.Count, emails, letters, portal);
    }

    public static string FileName(OutboxMessage message, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(message);
        var day = (message.SentAt ?? message.QueuedAt).InZone(zone).Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
        var extension = message.Channel switch
        {
            DeliveryChannel.Email => "eml",
            DeliveryChannel.Portal when message.HtmlBody is not null => "html",
            _ => "txt",
        };
        return $"{day}_{message.Id:D8}_{SafeName(message.Kind)}_{message.Channel.Name()}.{extension}";
    }

    private static readonly string[] Header =
    [
        "File", "Id", "Message-ID", "Kind", "Channel", "Status", "Recipient", "Address", "Subject", "Queued", "Sent", "Delivered", "Failed", "Error", "Batch", "Campaign", "Retain until",
    ];

    private static void Row(CsvWriter csv, string file, OutboxMessage m)
    {
        foreach (var field in new[]
        {
            file, m.Id.ToString(CultureInfo.InvariantCulture), m.MessageId, m.Kind, m.Channel.Name(), m.Status.Name(), m.RecipientName, m.Address.Replace('\n', ' '), m.Subject,
            Stamp(m.QueuedAt), Stamp(m.SentAt), Stamp(m.DeliveredAt), Stamp(m.FailedAt), m.LastError ?? "", m.Batch ?? "",
            m.CampaignId?.ToString(CultureInfo.InvariantCulture) ?? "", Stamp(m.RetainUntil),
        })
        {
            csv.WriteField(field);
        }

        csv.NextRecord();
    }

    /// <summary>A letter as printed: the recipient and address block, the subject line, then the text.</summary>
    private static string Letter(OutboxMessage m) => $"{m.RecipientName}\n{m.Address}\n\n{m.Subject}\n\n{m.TextBody}";

    private static string Stamp(Instant? at) => at?.ToString("uuuu-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A name made safe for a file: letters, digits and dashes.</summary>
    public static string SafeName(string text) => new(text.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-').ToArray());
}
