using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Opportunities;
using Ensemble.Practice;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Opportunities;

/// <summary>One move in an opportunity's history and how long it had sat in the stage it left.</summary>
public sealed record StageChangeView(OpportunityStage From, OpportunityStage To, Instant At, string By, Duration TimeInFrom);

/// <summary>An opportunity as lists show it, with its household; <see cref="History"/> is null where lists leave it out.</summary>
public sealed record OpportunityView(
    long Id,
    string HouseholdKey,
    string HouseholdName,
    OpportunityKind Kind,
    string Title,
    decimal? EstimatedAssets,
    decimal? EstimatedRevenue,
    OpportunityStage Stage,
    string OwnerRole,
    LocalDate? ExpectedClose,
    Instant OpenedAt,
    string OpenedBy,
    Instant StageChangedAt,
    Instant? ClosedAt,
    string? Note,
    long? TouchpointId,
    int Version,
    IReadOnlyList<StageChangeView>? History)
{
    public bool IsOpen => Stage is not (OpportunityStage.Won or OpportunityStage.Lost);
}

/// <summary>What to narrow the pipeline to. Closed opportunities (won, lost) show only when asked for, or when the stage filter names one.</summary>
public sealed record PipelineQuery(
    OpportunityStage? Stage = null,
    OpportunityKind? Kind = null,
    string? OwnerRole = null,
    bool IncludeClosed = false,
    HouseholdId? Household = null);

/// <summary>
/// The opportunity pipeline: opening opportunities for households, moving them through the stages (history kept,
/// Won and Lost close them), revising what they are worth, and the lists people work from. Input is read through
/// <see cref="CheckAsync"/>, which names every field at fault; the writes run the same check and refuse what fails it.
/// </summary>
public sealed class Pipeline(EnsembleDb db, IClock clock)
{
    public const int DefaultLimit = 200;

    /// <summary>
    /// Checks an opportunity typed in for <paramref name="household"/>: the fields, that the owner role exists,
    /// and that the touchpoint (if named) is one of the household's. <paramref name="openedOn"/> is null when
    /// opening (the expected close may not be in the past) or the day an existing one was opened.
    /// </summary>
    public async Task<(OpportunityDraft? Draft, IReadOnlyList<FieldError> Errors)> CheckAsync(
        HouseholdId household, OpportunityInput input, LocalDate? openedOn = null, CancellationToken cancellationToken = default)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var (draft, found) = input.Read(openedOn ?? firm.Today(clock));
        var errors = found.ToList();
        var role = RoleKeys.Normalize(input.OwnerRole ?? "");
        if (!errors.Any(e => e.Field == "ownerRole") && !await db.Roles.AnyAsync(r => r.Key == role, cancellationToken))
        {
            errors.Add(new("ownerRole", $"There is no role \"{role}\"; `ensemble roles` lists the firm's roles."));
        }

        if (openedOn is null && input.TouchpointId is > 0 && !await db.Touchpoints.AnyAsync(t => t.Id == new TouchpointId(input.TouchpointId.Value) && t.HouseholdId == household, cancellationToken))
        {
            errors.Add(new("touchpointId", $"Touchpoint {input.TouchpointId} is not one of this household's meetings."));
        }

        return errors.Count > 0 ? (null, errors) : (draft, errors);
    }

    /// <summary>
    /// Opens an opportunity for a household. A prospect's starts at Introduction, the first of the sales phases;
    /// anyone else's at Identified.
    /// </summary>
    public async Task<Result<Opportunity>> OpenAsync(HouseholdId household, OpportunityInput input, string actor, CancellationToken cancellationToken = default)
    {
        var stage = await db.Households.AsNoTracking().Where(h => h.Id == household).Select(h => (LifecycleStage?)h.Stage).SingleOrDefaultAsync(cancellationToken);
        if (stage is null)
        {
            return Error.NotFound($"There is no household {household}.");
        }

        var (draft, errors) = await CheckAsync(household, input, null, cancellationToken);
        if (draft is null)
        {
            return Invalid(errors);
        }

        var opportunity = new Opportunity(
            household, draft.Kind, draft.Title, draft.EstimatedAssets, draft.EstimatedRevenue,
            stage == LifecycleStage.Prospect ? OpportunityStage.Introduction : OpportunityStage.Identified,
            draft.OwnerRole, draft.ExpectedClose, clock.GetCurrentInstant(), actor, draft.TouchpointId);
        return await WriteAsync("open-opportunity", actor, () =>
        {
            db.Opportunities.Add(opportunity);
            return Task.FromResult<Result<Opportunity>>(opportunity);
        }, cancellationToken);
    }

    /// <summary>
    /// Moves an opportunity to a stage, keeping the history; Won and Lost close it. With <paramref name="household"/>
    /// the opportunity must be that household's, and with <paramref name="expectedVersion"/> it must not have changed since.
    /// </summary>
    public Task<Result<Opportunity>> MoveAsync(
        OpportunityId id, OpportunityStage stage, string? note, string actor, HouseholdId? household = null, int? expectedVersion = null,
        CancellationToken cancellationToken = default)
    {
        if (note is { Length: > OpportunityInput.NoteLength })
        {
            return Task.FromResult<Result<Opportunity>>(Error.Invalid($"note: A note can be at most {OpportunityInput.NoteLength:#,0} characters."));
        }

        return WriteAsync("move-opportunity", actor, async () =>
        {
            var found = await LoadAsync(id, household, expectedVersion, cancellationToken);
            if (!found.IsSuccess)
            {
                return found;
            }

            var moved = found.Value.MoveTo(stage, clock.GetCurrentInstant(), actor, note);
            return moved.IsSuccess ? found.Value : (Result<Opportunity>)moved.Error!;
        }, cancellationToken);
    }

    /// <summary>Revises what an open opportunity is and is worth: kind, title, estimates, owner role and expected close.</summary>
    public async Task<Result<Opportunity>> ReviseAsync(
        OpportunityId id, OpportunityInput input, string actor, HouseholdId? household = null, int? expectedVersion = null,
        CancellationToken cancellationToken = default)
    {
        var current = await db.Opportunities.AsNoTracking().Where(o => o.Id == id).Select(o => new { o.HouseholdId, o.OpenedAt }).SingleOrDefaultAsync(cancellationToken);
        if (current is null || (household is { } h && current.HouseholdId != h))
        {
            return NotFound(id);
        }

        var zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
        var (draft, errors) = await CheckAsync(current.HouseholdId, input with { TouchpointId = null }, current.OpenedAt.InZone(zone).Date, cancellationToken);
        if (draft is null)
        {
            return Invalid(errors);
        }

        return await WriteAsync("revise-opportunity", actor, async () =>
        {
            var found = await LoadAsync(id, household, expectedVersion, cancellationToken);
            return found.IsSuccess
                ? found.Value.Revise(draft.Kind, draft.Title, draft.EstimatedAssets, draft.EstimatedRevenue, draft.OwnerRole, draft.ExpectedClose)
                : found;
        }, cancellationToken);
    }

    /// <summary>One opportunity with its history; with <paramref name="household"/>, only if it is that household's.</summary>
    public async Task<OpportunityView?> FindAsync(OpportunityId id, HouseholdId? household = null, CancellationToken cancellationToken = default)
    {
        var views = await ViewsAsync(db.Opportunities.AsNoTracking().Where(o => o.Id == id && (household == null || o.HouseholdId == household)), withHistory: true, cancellationToken);
        return views.SingleOrDefault();
    }

    /// <summary>A household's opportunities with their history: open ones first (by stage), then closed ones, newest first.</summary>
    public async Task<List<OpportunityView>> ForHouseholdAsync(HouseholdId household, bool includeClosed = true, CancellationToken cancellationToken = default)
    {
        var query = db.Opportunities.AsNoTracking().Where(o => o.HouseholdId == household);
        if (!includeClosed)
        {
            query = query.Where(o => o.Stage != OpportunityStage.Won && o.Stage != OpportunityStage.Lost);
        }

        var views = await ViewsAsync(query, withHistory: true, cancellationToken);
        return views
            .OrderBy(v => v.IsOpen ? 0 : 1)
            .ThenBy(v => v.IsOpen ? OpportunityStages.Rank(v.Stage) : 0)
            .ThenByDescending(v => v.ClosedAt ?? v.OpenedAt)
            .ThenBy(v => v.Id)
            .ToList();
    }

    /// <summary>
    /// The pipeline, by stage then expected close (soonest first, undated last); <paramref name="withinHouseholds"/>,
    /// when given, narrows it to the households a person may see.
    /// </summary>
    public Task<List<OpportunityView>> ListAsync(
        PipelineQuery filter, int limit = DefaultLimit, int offset = 0, IReadOnlyCollection<long>? withinHouseholds = null, CancellationToken cancellationToken = default)
    {
        var ordered = Filtered(filter, withinHouseholds)
            .OrderBy(o => o.Stage == OpportunityStage.Identified ? 0
                : o.Stage == OpportunityStage.Introduction ? 1
                : o.Stage == OpportunityStage.FactFinding ? 2
                : o.Stage == OpportunityStage.Proposal ? 3
                : o.Stage == OpportunityStage.Onboarding ? 4
                : o.Stage == OpportunityStage.Won ? 5 : 6)
            .ThenBy(o => o.ExpectedClose == null)
            .ThenBy(o => o.ExpectedClose)
            .ThenBy(o => o.Id)
            .Skip(offset)
            .Take(limit);
        return ViewsAsync(ordered, withHistory: false, cancellationToken);
    }

    /// <summary>Count and estimated value per stage of what <see cref="ListAsync"/> would list (every page of it).</summary>
    public async Task<List<StageValueRow>> TotalsAsync(PipelineQuery filter, IReadOnlyCollection<long>? withinHouseholds = null, CancellationToken cancellationToken = default)
    {
        var rows = await Filtered(filter, withinHouseholds).Select(o => new ValueLine(o.Stage, o.EstimatedAssets, o.EstimatedRevenue)).ToListAsync(cancellationToken);
        return PipelineReports.ValueByStage(rows, OpportunityStages.All);
    }

    internal static IQueryable<Opportunity> Within(IQueryable<Opportunity> query, IReadOnlyCollection<long>? households)
    {
        if (households is null)
        {
            return query;
        }

        var ids = households.Select(h => new HouseholdId(h)).ToList();
        return query.Where(o => ids.Contains(o.HouseholdId));
    }

    private IQueryable<Opportunity> Filtered(PipelineQuery filter, IReadOnlyCollection<long>? withinHouseholds)
    {
        var query = Within(db.Opportunities.AsNoTracking(), withinHouseholds);
        if (filter.Household is { } household)
        {
            query = query.Where(o => o.HouseholdId == household);
        }

        if (filter.Stage is { } stage)
        {
            query = query.Where(o => o.Stage == stage);
        }
        else if (!filter.IncludeClosed)
        {
            query = query.Where(o => o.Stage != OpportunityStage.Won && o.Stage != OpportunityStage.Lost);
        }

        if (filter.Kind is { } kind)
        {
            query = query.Where(o => o.Kind == kind);
        }

        if (!string.IsNullOrWhiteSpace(filter.OwnerRole))
        {
            var role = RoleKeys.Normalize(filter.OwnerRole);
            query = query.Where(o => o.OwnerRole == role);
        }

        return query;
    }

    private async Task<List<OpportunityView>> ViewsAsync(IQueryable<Opportunity> opportunities, bool withHistory, CancellationToken cancellationToken)
    {
        var source = withHistory ? opportunities.Include(o => o.History) : opportunities;
        var rows = await (from o in source
                          join h in db.Households on o.HouseholdId equals h.Id
                          select new { Opportunity = o, h.Key, h.Name })
            .ToListAsync(cancellationToken);
        return rows.Select(r => View(r.Opportunity, r.Key, r.Name, withHistory)).ToList();
    }

    private static OpportunityView View(Opportunity o, string key, string name, bool withHistory) => new(
        o.Id.Value, key, name, o.Kind, o.Title, o.EstimatedAssets?.Amount, o.EstimatedRevenue?.Amount, o.Stage, o.OwnerRole, o.ExpectedClose,
        o.OpenedAt, o.OpenedBy, o.StageChangedAt, o.ClosedAt, o.Note, o.TouchpointId?.Value, o.Version,
        withHistory
            ? o.History.OrderBy(c => c.At).ThenBy(c => c.Id).Select(c => new StageChangeView(c.From, c.To, c.At, c.By, c.TimeInPreviousStage)).ToList()
            : null);

    private async Task<Result<Opportunity>> LoadAsync(OpportunityId id, HouseholdId? household, int? expectedVersion, CancellationToken cancellationToken)
    {
        var opportunity = await db.Opportunities.SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (opportunity is null || (household is { } h && opportunity.HouseholdId != h))
        {
            return NotFound(id);
        }

        if (expectedVersion is { } expected && opportunity.Version != expected)
        {
            return Error.Conflict($"Opportunity {id} changed since you read it (version {expected}, now {opportunity.Version}); read it again and retry.");
        }

        return opportunity;
    }

    private static Error NotFound(OpportunityId id) => Error.NotFound($"There is no opportunity {id}; `ensemble opportunities list` shows them.");

    private static Error Invalid(IReadOnlyList<FieldError> errors) => Error.Invalid(string.Join(" ", errors.Select(e => e.ToString())));

    // One transaction per write, queued behind SQLite's single writer. The version column refuses a write based on a
    // stale read; that is reported as a conflict rather than retried, since the person should see what changed.
    private async Task<Result<Opportunity>> WriteAsync(string operation, string actor, Func<Task<Result<Opportunity>>> work, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        db.Actor = actor;
        db.Operation = operation;
        try
        {
            using var turn = await WriteGate.EnterAsync(db, cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await work();
            if (!result.IsSuccess)
            {
                await transaction.RollbackAsync(cancellationToken);
                return result;
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("Someone changed this opportunity at the same moment; read it again and retry.");
        }
        finally
        {
            db.Operation = null;
            db.ChangeTracker.Clear();
        }
    }
}
