using System.Globalization;
using Ensemble.Common;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Calendar;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.ServiceModel;

/// <summary>One meeting at a time: held, cancelled, what comes next and booking it.</summary>
public sealed partial class ServiceCalendar
{
    private const int NoteLength = 2_000;

    /// <summary>
    /// Marks a planned meeting held and proposes the next in line with the household's tier (the next of the
    /// year, or next year's review); with <paramref name="bookNext"/> the proposal is booked and its process started.
    /// </summary>
    public async Task<Result<HeldOutcome>> MarkHeldAsync(TouchpointId id, string? note, bool bookNext, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (note?.Trim().Length > NoteLength)
        {
            return Error.Invalid($"note: at most {NoteLength:N0} characters.");
        }

        db.ChangeTracker.Clear();
        var touchpoint = await db.Touchpoints.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (touchpoint is null)
        {
            return Error.NotFound($"There is no meeting {id}.");
        }

        if (Refusal(touchpoint, "marked held") is { } refused)
        {
            return refused;
        }

        touchpoint.MarkHeld(clock.GetCurrentInstant(), note);
        var saved = await SaveAsync("mark-meeting-held", actor, cancellationToken);
        if (!saved.IsSuccess)
        {
            return saved.Error!;
        }

        var views = new ServiceCalendarViews(db);
        var held = (await views.FindAsync(id, cancellationToken))!;
        var next = await ProposeAsync(touchpoint, cancellationToken);
        TouchpointView? booked = null;
        if (bookNext && next is { Planned: { } planned })
        {
            var made = await BookAsync(planned, actor, cancellationToken);
            if (!made.IsSuccess)
            {
                return made.Error!;
            }

            booked = made.Value;
        }

        return new HeldOutcome(held, next?.Proposal, booked);
    }

    /// <summary>The meeting that should follow this one in line with the household's tier; null when the household is not in a tier (or no longer a client).</summary>
    public async Task<Result<TouchpointProposal?>> ProposeNextAsync(TouchpointId id, CancellationToken cancellationToken = default)
    {
        var touchpoint = await db.Touchpoints.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (touchpoint is null)
        {
            return Error.NotFound($"There is no meeting {id}.");
        }

        return Result<TouchpointProposal?>.Success((await ProposeAsync(touchpoint, cancellationToken))?.Proposal);
    }

    /// <summary>Books the meeting proposed after this one and starts its process.</summary>
    public async Task<Result<TouchpointView>> BookNextAsync(TouchpointId id, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var touchpoint = await db.Touchpoints.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (touchpoint is null)
        {
            return Error.NotFound($"There is no meeting {id}.");
        }

        var next = await ProposeAsync(touchpoint, cancellationToken);
        return next switch
        {
            null => Error.Conflict("The household is not in a service tier, so no next meeting is due."),
            { Planned: { } planned } => await BookAsync(planned, actor, cancellationToken),
            _ => Error.Conflict(next.Proposal.Describe()),
        };
    }

    /// <summary>Cancels a planned meeting with a reason; its process, if still running, is cancelled with it.</summary>
    public async Task<Result<TouchpointView>> CancelAsync(TouchpointId id, string? reason, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Error.Invalid("reason: say why the meeting is cancelled.");
        }

        if (reason.Trim().Length > NoteLength)
        {
            return Error.Invalid($"reason: at most {NoteLength:N0} characters.");
        }

        db.ChangeTracker.Clear();
        var found = await db.Touchpoints.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (found is null)
        {
            return Error.NotFound($"There is no meeting {id}.");
        }

        if (Refusal(found, "cancelled") is { } refused)
        {
            return refused;
        }

        if (found.InstanceId is { } instance)
        {
            // A process already finished or cancelled (a retry after a failure here) has nothing left to stop.
            var stopped = await new WorkService(db, clock).CancelAsync(instance, actor, $"The meeting was cancelled: {reason.Trim()}", cancellationToken);
            if (!stopped.IsSuccess && stopped.Error!.Kind is not (ErrorKind.Conflict or ErrorKind.NotFound))
            {
                return stopped.Error;
            }
        }

        db.ChangeTracker.Clear();
        var touchpoint = await db.Touchpoints.SingleAsync(t => t.Id == id, cancellationToken);
        if (Refusal(touchpoint, "cancelled") is { } changed)
        {
            return changed;
        }

        touchpoint.Cancel(reason);
        var saved = await SaveAsync("cancel-meeting", actor, cancellationToken);
        return saved.IsSuccess ? (await new ServiceCalendarViews(db).FindAsync(id, cancellationToken))! : saved.Error!;
    }

    private static Error? Refusal(Touchpoint touchpoint, string verb) => touchpoint.Status switch
    {
        TouchpointStatus.Held => Error.Conflict(
            $"Meeting {touchpoint.Id} was already marked held{(touchpoint.HeldAt is { } at ? " on " + at.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture) : "")}"
            + (verb == "marked held" ? "." : $"; a held meeting cannot be {verb}.")),
        TouchpointStatus.Cancelled => Error.Conflict(
            $"Meeting {touchpoint.Id} is cancelled ({touchpoint.Note})" + (verb == "cancelled" ? "." : $"; a cancelled meeting cannot be {verb}.")),
        _ => null,
    };

    private async Task<Result<bool>> SaveAsync(string operation, string actor, CancellationToken cancellationToken)
    {
        db.Actor = actor;
        db.Operation = operation;
        try
        {
            using var turn = await WriteGate.EnterAsync(db, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("Someone changed this meeting at the same time; look at it again and retry.");
        }
        finally
        {
            db.Operation = null;
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The proposal and, when it can be booked, the meeting as the planner placed it.</summary>
    private sealed record Proposed(TouchpointProposal Proposal, PlannedTouchpoint? Planned);

    private async Task<Proposed?> ProposeAsync(Touchpoint after, CancellationToken cancellationToken)
    {
        var settings = await ServiceSettingsStore.GetAsync(db, cancellationToken);
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var today = firm.Today(clock);
        var client = (await ServiceCalendarInputs.ClientsAsync(db, [after.HouseholdId], settings, today, cancellationToken)).SingleOrDefault();
        if (client is null || CalendarPlanner.NextOf(settings, client.Household.Tier, after.Year, after.Sequence) is not { } next)
        {
            return null;
        }

        var views = new ServiceCalendarViews(db);
        var booked = await db.Touchpoints.AsNoTracking()
            .SingleOrDefaultAsync(t => t.HouseholdId == after.HouseholdId && t.Year == next.Year && t.Sequence == next.Sequence, cancellationToken);
        if (booked is not null)
        {
            var view = (await views.ViewsAsync([booked], cancellationToken))[0];
            return new Proposed(new TouchpointProposal(next.Year, next.Sequence, next.Plan.Kind, booked.Minutes, booked.StartsAt, view.Advisor, booked.Topic, view.TopicTitle, view, null), null);
        }

        // A household without a review month keeps the month of this year's review (or of this meeting).
        var household = client.Household;
        if (household.ReviewMonth is null)
        {
            var review = await db.Touchpoints.AsNoTracking()
                .Where(t => t.HouseholdId == after.HouseholdId && t.Year == after.Year && t.Sequence == 1)
                .Select(t => (LocalDateTime?)t.StartsAt).SingleOrDefaultAsync(cancellationToken);
            household = household with { ReviewMonth = (review ?? after.StartsAt).Month };
        }

        var only = new[] { household.Id };
        var advisors = household.AdvisorId is { } a ? new[] { a } : [];
        var request = new CalendarRequest(
            after.Year, [household], settings, firm.Calendar,
            await ServiceCalendarInputs.AdvisorsAsync(db, cancellationToken),
            await ServiceCalendarInputs.ExistingAsync(db, after.Year, only, advisors, cancellationToken),
            await ServiceCalendarInputs.TopicHistoryAsync(db, after.Year, only, cancellationToken),
            today.PlusDays(1));
        var outcome = CalendarPlanner.PlaceNext(request, household, after.Year, after.Sequence)!;
        if (outcome.Placed is { } placed)
        {
            var handle = request.Advisors.FirstOrDefault(s => s.Id == placed.AdvisorId)?.Handle ?? $"staff {placed.AdvisorId}";
            return new Proposed(ServiceCalendarViews.Proposal(placed, handle, settings), placed);
        }

        return new Proposed(new TouchpointProposal(next.Year, next.Sequence, next.Plan.Kind, next.Plan.Minutes, null, null, null, null, null, outcome.Unplaced!.Reason), null);
    }

    /// <summary>Adds a proposed meeting and starts its process, dated by the meeting.</summary>
    private async Task<Result<TouchpointView>> BookAsync(PlannedTouchpoint planned, string actor, CancellationToken cancellationToken)
    {
        db.Actor = actor;
        db.Operation = "book-meeting";
        try
        {
            var added = await ServiceCalendarWriter.InsertAsync(db, [planned], clock, cancellationToken);
            if (added.Count == 0)
            {
                return Error.Conflict("That meeting was booked by someone else a moment ago.");
            }

            var (id, _) = added[0];
            var key = ServiceCalendarInputs.TriggerKey(planned.HouseholdId, planned.Year, planned.Sequence);
            var anchors = new Dictionary<string, LocalDate> { ["meeting"] = planned.Date };
            var started = await new WorkService(db, clock).StartAsync(planned.Template, planned.HouseholdId, anchors, actor, key, cancellationToken);
            if (!started.IsSuccess && started.Error!.Kind != ErrorKind.Conflict)
            {
                return started.Error;
            }

            var instance = await db.Instances.AsNoTracking().Where(i => i.TriggerKey == key).Select(i => (InstanceId?)i.Id).SingleOrDefaultAsync(cancellationToken);
            if (instance is { } process)
            {
                db.Actor = actor;
                db.Operation = "book-meeting";
                await ServiceCalendarWriter.AttachAsync(db, [(id, planned.HouseholdId, process)], clock, cancellationToken);
            }

            return (await new ServiceCalendarViews(db).FindAsync(id, cancellationToken))!;
        }
        finally
        {
            db.Operation = null;
        }
    }
}
