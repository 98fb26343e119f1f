using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Communications.FormAdv;
using Ensemble.Households;
using Ensemble.Storage.Communications.Archive;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications.FormAdv;

/// <summary>One client household's Form ADV delivery for a fiscal year.</summary>
/// <param name="DeliveredOn">The firm's date of the first delivery that counts; null while none did.</param>
/// <param name="MessageId">The archive id of that delivery (open it in the archive).</param>
/// <param name="InOutbox">Deliveries queued or being sent right now.</param>
/// <param name="LastFailure">Why the latest attempt failed or bounced, while none got through.</param>
public sealed record FormAdvLine(
    string HouseholdKey,
    string HouseholdName,
    FormAdvState State,
    LocalDate? DeliveredOn,
    string? Channel,
    long? MessageId,
    string? Recipient,
    int InOutbox,
    string? LastFailure,
    bool DoNotContact)
{
    public string StateName => State.Name();
}

/// <summary>The firm's Form ADV deliveries for one fiscal year: counts by state and one line per client household.</summary>
public sealed record FormAdvReport(
    FormAdvYear Year,
    LocalDate Today,
    int Clients,
    int Delivered,
    int DeliveredLate,
    int Owed,
    int Overdue,
    IReadOnlyList<FormAdvLine> Lines)
{
    /// <summary>Households still to be sent this year's delivery.</summary>
    public int Outstanding => Owed + Overdue;

    public int DaysLeft => Year.DaysLeft(Today);
}

/// <summary>
/// Tracks the annual Form ADV delivery per client household from what the archive shows went out: an outbox message
/// of kind <see cref="FormAdvYear.Kind"/> to the household, sent or delivered within the fiscal year's window. Whoever
/// sent it (a Form ADV campaign, a letter run) does not matter; the record does. Households are today's clients.
/// </summary>
public sealed class FormAdvTracker(EnsembleDb db, IClock clock)
{
    /// <summary>The status for <paramref name="fiscalYear"/> (default: the latest that has ended); <paramref name="outstandingOnly"/> lists only those still owed.</summary>
    public async Task<Result<FormAdvReport>> StatusAsync(int? fiscalYear = null, bool outstandingOnly = false, CancellationToken cancellationToken = default)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var settings = await CommunicationSettingsStore.GetAsync(db, cancellationToken);
        var today = firm.Today(clock);
        var latest = FormAdvYear.Latest(today, settings.FiscalYearEnd);
        if (fiscalYear is { } asked && (asked < 1990 || asked > latest + 1))
        {
            return Error.Invalid($"year: choose a fiscal year from 1990 to {latest + 1}, not {asked}.");
        }

        var year = FormAdvYear.Of(fiscalYear ?? latest, settings.FiscalYearEnd);
        var zone = firm.Zone;
        var from = year.WindowStart.AtStartOfDayInZone(zone).ToInstant();
        var until = year.WindowEnd.PlusDays(1).AtStartOfDayInZone(zone).ToInstant();

        var clients = await db.Households.AsNoTracking()
            .Where(h => h.Stage == LifecycleStage.Client)
            .OrderBy(h => h.Key)
            .Select(h => new { h.Id, h.Key, h.Name, h.DoNotContact })
            .ToListAsync(cancellationToken);

        // Through the (kind, sent_at) index: what went out in the window, and what is still on its way or failed since it opened.
        var messages = await db.Outbox.AsNoTracking()
            .Where(m => m.Kind == FormAdvYear.Kind && m.HouseholdId != null
                && ((m.SentAt >= from && m.SentAt < until) || (m.SentAt == null && m.QueuedAt >= from && m.QueuedAt < until)))
            .Select(m => new Delivery(m.Id, m.HouseholdId, m.Channel, m.Status, m.RecipientName, m.SentAt, m.QueuedAt, m.LastError))
            .ToListAsync(cancellationToken);
        var byHousehold = messages.ToLookup(m => m.HouseholdId!.Value);

        var lines = new List<FormAdvLine>(clients.Count);
        int delivered = 0, late = 0, owed = 0, overdue = 0;
        foreach (var client in clients)
        {
            var mine = byHousehold[client.Id].ToList();
            var first = mine.Where(m => m.SentAt is not null && m.Status is DeliveryStatus.Sent or DeliveryStatus.Delivered).MinBy(m => m.SentAt);
            var deliveredOn = first?.SentAt!.Value.InZone(zone).Date;
            var state = year.Judge(deliveredOn, today);
            switch (state)
            {
                case FormAdvState.Delivered: delivered++; break;
                case FormAdvState.DeliveredLate: late++; break;
                case FormAdvState.Owed: owed++; break;
                default: overdue++; break;
            }

            if (outstandingOnly && !state.IsOutstanding())
            {
                continue;
            }

            var failure = first is null
                ? mine.Where(m => m.Status is DeliveryStatus.Failed or DeliveryStatus.Bounced).MaxBy(m => m.Id)?.LastError
                : null;
            lines.Add(new FormAdvLine(
                client.Key, client.Name, state, deliveredOn, first?.Channel.Name(), first?.Id, first?.RecipientName,
                mine.Count(m => m.Status is DeliveryStatus.Queued or DeliveryStatus.Sending), failure, client.DoNotContact));
        }

        return new FormAdvReport(year, today, clients.Count, delivered, late, owed, overdue, lines);
    }

    private sealed record Delivery(
        long Id, HouseholdId? HouseholdId, DeliveryChannel Channel, DeliveryStatus Status, string RecipientName, Instant? SentAt, Instant QueuedAt, string? LastError);
}
