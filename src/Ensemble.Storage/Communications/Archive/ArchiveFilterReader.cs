using Ensemble.Communications;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Storage.Communications.Archive;

/// <summary>An archive search as typed (query string, form, command line) and read into a filter, each error naming its field.</summary>
public sealed record ArchiveSearchText(string? Text, string? Household, string? Kind, string? Channel, string? Status, string? From, string? To);

/// <summary>Reads what a person typed into an <see cref="ArchiveFilter"/>; the household is looked up by its key.</summary>
public static class ArchiveFilterReader
{
    public const string StatusChoices = "queued, sending, sent, delivered, failed or bounced";
    public const string ChannelChoices = "email, letter or portal";
    public const int TextLength = 200;

    public static async Task<(ArchiveFilter? Filter, IReadOnlyList<(string Field, string Message)> Errors)> ReadAsync(EnsembleDb db, ArchiveSearchText search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var errors = new List<(string, string)>();
        if (search.Text is { Length: > TextLength })
        {
            errors.Add(("text", $"At most {TextLength} characters."));
        }

        Ensemble.Common.HouseholdId? household = null;
        if (!string.IsNullOrWhiteSpace(search.Household))
        {
            var key = search.Household.Trim();
            household = await db.Households.AsNoTracking().Where(h => h.Key == key).Select(h => (Ensemble.Common.HouseholdId?)h.Id).SingleOrDefaultAsync(cancellationToken);
            if (household is null)
            {
                errors.Add(("household", $"There is no household {key}."));
            }
        }

        DeliveryChannel? channel = null;
        if (!string.IsNullOrWhiteSpace(search.Channel))
        {
            channel = DeliveryChannels.Parse(search.Channel);
            if (channel is null)
            {
                errors.Add(("channel", $"\"{search.Channel}\" is not a channel; use {ChannelChoices}."));
            }
        }

        DeliveryStatus? status = null;
        if (!string.IsNullOrWhiteSpace(search.Status))
        {
            status = DeliveryStatuses.Parse(search.Status);
            if (status is null)
            {
                errors.Add(("status", $"\"{search.Status}\" is not a status; use {StatusChoices}."));
            }
        }

        var from = Date(search.From, "from", errors);
        var to = Date(search.To, "to", errors);
        if (from is { } f && to is { } t && t < f)
        {
            errors.Add(("to", $"The range ends ({t:uuuu-MM-dd}) before it starts ({f:uuuu-MM-dd})."));
        }

        return errors.Count > 0
            ? (null, errors)
            : (new ArchiveFilter(string.IsNullOrWhiteSpace(search.Text) ? null : search.Text.Trim(), household, string.IsNullOrWhiteSpace(search.Kind) ? null : search.Kind.Trim(), channel, status, from, to), errors);
    }

    private static LocalDate? Date(string? text, string field, List<(string, string)> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parsed = LocalDatePattern.Iso.Parse(text.Trim());
        if (!parsed.Success)
        {
            errors.Add((field, $"\"{text}\" is not a date such as 2026-04-30."));
            return null;
        }

        return parsed.Value;
    }
}
