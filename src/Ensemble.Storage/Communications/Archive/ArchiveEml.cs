using Ensemble.Communications;
using MimeKit;

namespace Ensemble.Storage.Communications.Archive;

/// <summary>
/// An archived email rebuilt as an RFC 5322 message (.eml) from its stored fields: the same Message-ID, recipient,
/// subject, date and text and HTML parts, so it opens in any mail program and matches the copy the recipient holds.
/// The outbox does not store the envelope sender, so From names the firm; X-Ensemble-* headers say what the record is.
/// </summary>
public static class ArchiveEml
{
    public static MimeMessage Build(OutboxMessage message, string firmName, string? householdKey)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(firmName, "records@" + MessageIds.Domain));
        if (MailboxAddress.TryParse(message.Address, out var to))
        {
            mime.To.Add(new MailboxAddress(message.RecipientName, to.Address));
        }
        else
        {
            // An address the sender refused as invalid is still on record exactly as it was given.
            mime.Headers.Add("X-Ensemble-Address", message.Address);
        }

        mime.Subject = message.Subject;
        mime.MessageId = message.MessageId;
        mime.Date = (message.SentAt ?? message.QueuedAt).ToDateTimeOffset();
        mime.Headers.Add("X-Ensemble-Kind", message.Kind);
        mime.Headers.Add("X-Ensemble-Status", message.Status.Name());
        if (householdKey is not null)
        {
            mime.Headers.Add("X-Ensemble-Household", householdKey);
        }

        if (message.CampaignId is { } campaign)
        {
            mime.Headers.Add("X-Ensemble-Campaign", campaign.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        mime.Headers.Add("X-Ensemble-Retain-Until", message.RetainUntil.ToString("uuuu-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        mime.Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody();
        return mime;
    }

    public static async Task WriteAsync(MimeMessage message, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await message.WriteToAsync(FormatOptions.Default, output, cancellationToken);
    }
}
