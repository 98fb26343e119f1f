using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;

namespace Ensemble.Audit;

/// <summary>The outcome of checking the chain: fine, or the first event that is wrong and why.</summary>
public sealed record AuditVerification(bool IsIntact, long EventsChecked, long? FirstBadSequence, string Message);

/// <summary>Computes and checks the audit hash chain (SHA-256 over every field, length-prefixed).</summary>
public static class AuditChain
{
    /// <summary>The hash the chain starts from, before the first event.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    // Every change hashes its events while it holds the chain's head, so the text and its bytes are built in buffers each
    // thread keeps rather than in new ones per event. The bytes hashed are the same.
    [ThreadStatic]
    private static StringBuilder? t_text;

    public static string ComputeHash(
        long sequence, Instant at, string actor, long? householdId, string entityType, string entityId,
        string action, string? operation, string? before, string? after, string previousHash)
    {
        var text = t_text;
        if (text is null || text.Capacity > 64 * 1024)
        {
            // A builder grown by one very large event is not kept for the thread's life.
            text = t_text = new StringBuilder(1024);
        }

        text.Clear();
        Append(text, sequence);
        Append(text, at.ToUnixTimeTicks());
        Append(text, actor);
        if (householdId is { } household)
        {
            Append(text, household);
        }
        else
        {
            Append(text, null);
        }

        Append(text, entityType);
        Append(text, entityId);
        Append(text, action);
        Append(text, operation);
        Append(text, before);
        Append(text, after);
        Append(text, previousHash);

        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var encoder = Encoding.UTF8.GetEncoder();
            var length = 0;
            foreach (var chunk in text.GetChunks())
            {
                length += encoder.GetBytes(chunk.Span, bytes.AsSpan(length), flush: false);
            }

            length += encoder.GetBytes([], bytes.AsSpan(length), flush: true);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes.AsSpan(0, length), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    public static string ComputeHash(AuditEvent e) => ComputeHash(
        e.Sequence, e.At, e.Actor, e.HouseholdId, e.EntityType, e.EntityId, e.Action, e.Operation, e.Before, e.After, e.PreviousHash);

    /// <summary>Walks the events in sequence order as the store streams them; stops at the first break.</summary>
    public static async Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditEvent> eventsInOrder, AuditHead? head, CancellationToken cancellationToken)
    {
        var expectedSequence = 1L;
        var previousHash = Genesis;
        var count = 0L;
        await foreach (var e in eventsInOrder.WithCancellation(cancellationToken))
        {
            if (e.Sequence != expectedSequence)
            {
                return Bad(count, Math.Min(e.Sequence, expectedSequence), e.Sequence > expectedSequence
                    ? $"Event {expectedSequence} is missing: the next event found is {e.Sequence} (events were deleted)."
                    : $"Event {e.Sequence} appears where event {expectedSequence} should be (events were reordered or duplicated).");
            }

            if (e.PreviousHash != previousHash)
            {
                return Bad(count, e.Sequence, $"Event {e.Sequence} does not link to the event before it (events were reordered, replaced or deleted).");
            }

            if (ComputeHash(e) != e.Hash)
            {
                return Bad(count, e.Sequence, $"Event {e.Sequence} ({e.EntityType} {e.EntityId} {e.Action} by {e.Actor}) was altered after it was written.");
            }

            previousHash = e.Hash;
            expectedSequence++;
            count++;
        }

        var last = expectedSequence - 1;
        if (head is not null && (head.LastSequence != last || head.LastHash != previousHash))
        {
            return head.LastSequence > last
                ? Bad(count, last + 1, $"The log ends at event {last} but {head.LastSequence} were written (the log was truncated).")
                : Bad(count, head.LastSequence + 1, $"The log holds {last} events but its head records {head.LastSequence} (the head or the log was tampered with).");
        }

        return new AuditVerification(true, count, null, $"The audit trail is intact: {count} events verified.");
    }

    private static AuditVerification Bad(long count, long sequence, string message) => new(false, count, sequence, message);

    private static void Append(StringBuilder text, long value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
        text.Append(CultureInfo.InvariantCulture, $"{written}:").Append(digits[..written]).Append('|');
    }

    private static void Append(StringBuilder text, string? value)
    {
        if (value is null)
        {
            text.Append("-1:");
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"{value.Length}:").Append(value).Append('|');
    }
}
