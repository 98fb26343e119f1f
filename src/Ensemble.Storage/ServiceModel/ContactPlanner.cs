using System.Globalization;
using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Processes.Running;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Contacts;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.ServiceModel;

/// <summary>What one planning run did with every occasion in its window.</summary>
/// <remarks><c>Ran</c> is false when a once-a-day run found the day already planned and did nothing.</remarks>
public sealed record ContactPlanReport(
    DateInterval Window,
    bool Ran,
    IReadOnlyList<ContactLine> Started,
    IReadOnlyList<ContactLine> AlreadyStarted,
    IReadOnlyList<ContactLine> Skipped,
    IReadOnlyList<string> Errors)
{
    public string Summary => !Ran
        ? $"Contacts: already planned today for {Window.Start:uuuu-MM-dd} to {Window.End:uuuu-MM-dd}."
        : $"Contacts for {Window.Start:uuuu-MM-dd} to {Window.End:uuuu-MM-dd}: {Started.Count} started, {AlreadyStarted.Count} already started, "
          + $"{Skipped.Count} skipped{SkippedWhy}{(Errors.Count > 0 ? $", {Errors.Count} could not start" : "")}.";

    private string SkippedWhy
    {
        get
        {
            if (Skipped.Count == 0)
            {
                return "";
            }

            var doNotContact = Skipped.Count(l => l.Household.DoNotContact);
            return $" ({doNotContact} do not contact, {Skipped.Count - doNotContact} over the tier's yearly frequency)";
        }
    }
}

/// <summary>A recorded life event as lists show it.</summary>
public sealed record LifeEventView(
    long Id, string Kind, LocalDate OccurredOn, string? MemberExternalId, string? Member, string? Note, Instant RecordedAt, string RecordedBy, long? ContactProcess);

/// <summary>A contact process of a household: the occasion, its day and how far it got.</summary>
public sealed record ContactView(long Process, string Occasion, LocalDate? On, InstanceStatus Status, Instant StartedAt);

/// <summary>What recording a life event did: the event, and the contact it started or why none was.</summary>
public sealed record LifeEventRecorded(LifeEventView Event, long? ContactProcess, string Outcome);

/// <summary>Everything the household page shows about personal contact; <c>Household</c> is null when it does not exist.</summary>
public sealed record HouseholdContacts(ContactHousehold? Household, IReadOnlyList<ContactLine> Upcoming, IReadOnlyList<ContactView> Recent, IReadOnlyList<LifeEventView> LifeEvents);

/// <summary>
/// Periodic contact: finds the occasions of the coming days for every client household, decides within each
/// tier's yearly contact frequency which get a contact (<see cref="ContactBudget"/>), and starts a
/// <c>client-contact</c> process for each, dated to the occasion. Each start carries a trigger key per household,
/// occasion and year, so a run repeated, or run from two nodes at once, starts nothing twice. Recording a life
/// event starts its contact at once.
/// </summary>
public sealed class ContactPlanner(EnsembleDb db, IClock clock)
{
    /// <summary>How many days ahead the sweep plans: long enough to post a card in time.</summary>
    public const int DefaultDays = 14;

    public const int MaxDays = 366;

    /// <summary>Households read and planned per batch.</summary>
    private const int Batch = 2000;

    /// <summary>The periodic cursor that remembers the last day a once-a-day run planned.</summary>
    private const string CursorId = "contacts:plan";

    /// <summary>
    /// Plans the next <paramref name="days"/> days (today included) for every client household and starts the
    /// chosen contacts. With <paramref name="onceADay"/> (the sweeps) it does nothing when it already ran today.
    /// Call it outside a transaction.
    /// </summary>
    public async Task<ContactPlanReport> PlanAsync(int days = DefaultDays, string actor = "ensemble", bool onceADay = false, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var today = firm.Today(clock);
        var window = new DateInterval(today, today.PlusDays(days - 1));
        if (onceADay && await PlannedOnAsync(firm.Zone, cancellationToken) == today)
        {
            return new ContactPlanReport(window, false, [], [], [], []);
        }

        var version = await TemplateVersions.LatestAsync(db, ContactKeys.Template, cancellationToken);
        var settings = await ServiceSettingsStore.GetAsync(db, cancellationToken);
        var clients = await db.Households.AsNoTracking()
            .Where(h => h.Stage == LifecycleStage.Client)
            .OrderBy(h => h.Id).Select(h => h.Id)
            .ToListAsync(cancellationToken);

        // The template routes by the stored tier: decide it first for clients that have none, so the task goes to the owner the tier names.
        await StoreMissingTiersAsync(clients, actor, cancellationToken);

        var lines = new List<ContactLine>();
        foreach (var batch in clients.Chunk(Batch))
        {
            var households = await ReadAsync(batch, today, settings, cancellationToken);
            lines.AddRange(ContactBudget.Plan(households, window, today, settings.ContactsPerYear));
        }

        var planned = lines.Where(l => l.Decision == ContactDecision.Planned).ToList();
        var errors = new List<string>();
        if (planned.Count > 0 && version is null)
        {
            errors.Add($"The library has no {ContactKeys.Template} template, so no contact could start; import the built-in library to add it.");
        }
        else if (planned.Count > 0)
        {
            var items = planned.Select(l => new BulkStartItem(l.Household.Id, Anchors(l.ContactOn), l.TriggerKey)).ToList();
            var started = await new BulkStarter(db, clock).StartAsync(version!.Id, items, actor, cancellationToken);
            errors.AddRange(started.Errors);
        }

        var keys = await InstancesByKeyAsync(planned.Select(l => l.TriggerKey).ToList(), cancellationToken);
        var startedLines = planned.Where(l => keys.ContainsKey(l.TriggerKey)).ToList();
        await LinkLifeEventsAsync(lines.Where(l => l.Occasion.LifeEventId is not null && l.Decision != ContactDecision.Skipped).ToList(), actor, cancellationToken);
        if (onceADay)
        {
            // Refusals (a missing template, a household the engine turned down) would only repeat within the day;
            // tomorrow's run, or `ensemble contacts plan`, tries again.
            await RememberPlannedAsync(cancellationToken);
        }

        return new ContactPlanReport(
            window, true, startedLines,
            lines.Where(l => l.Decision == ContactDecision.AlreadyStarted).ToList(),
            lines.Where(l => l.Decision == ContactDecision.Skipped).ToList(),
            errors);
    }

    /// <summary>
    /// The occasions of the next <paramref name="days"/> days and what a plan would decide, without starting
    /// anything; <paramref name="withinHouseholds"/> narrows it to the households a person may see (null: all).
    /// </summary>
    public async Task<IReadOnlyList<ContactLine>> OccasionsAsync(int days, IReadOnlyCollection<long>? withinHouseholds = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);
        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        var window = new DateInterval(today, today.PlusDays(days - 1));
        var settings = await ServiceSettingsStore.GetAsync(db, cancellationToken);
        var ids = await db.Households.AsNoTracking()
            .Where(h => h.Stage == LifecycleStage.Client)
            .OrderBy(h => h.Id).Select(h => h.Id)
            .ToListAsync(cancellationToken);
        if (withinHouseholds is not null)
        {
            ids = ids.Where(id => withinHouseholds.Contains(id.Value)).ToList();
        }

        var lines = new List<ContactLine>();
        foreach (var batch in ids.Chunk(Batch))
        {
            lines.AddRange(ContactBudget.Plan(await ReadAsync(batch, today, settings, cancellationToken), window, today, settings.ContactsPerYear));
        }

        return lines
            .OrderBy(l => l.ContactOn).ThenBy(l => l.Household.Key, StringComparer.Ordinal).ThenBy(l => l.Occasion.Kind).ToList();
    }

    /// <summary>One household's coming occasions (any stage), its recent contact processes and its recorded life events.</summary>
    public async Task<HouseholdContacts> ForHouseholdAsync(HouseholdId householdId, int days = 60, CancellationToken cancellationToken = default)
    {
        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        var settings = await ServiceSettingsStore.GetAsync(db, cancellationToken);
        var household = (await ReadAsync([householdId], today, settings, cancellationToken)).SingleOrDefault();
        var upcoming = household is null
            ? []
            : ContactBudget.PlanHousehold(household, new DateInterval(today, today.PlusDays(days - 1)), today, settings.ContactsPerYear);
        var recent = await db.Instances.AsNoTracking()
            .Where(i => i.HouseholdId == householdId && i.TemplateKey == ContactKeys.Template)
            .OrderByDescending(i => i.Id).Take(12)
            .Select(i => new { i.Id, i.TriggerKey, i.Anchors, i.Status, i.StartedAt })
            .ToListAsync(cancellationToken);
        var events = await LifeEventsAsync(householdId, cancellationToken);
        var contacts = recent.Select(i => new ContactView(
            i.Id.Value, Describe(i.TriggerKey, events), i.Anchors.TryGetValue(ContactKeys.Anchor, out var on) ? on : null, i.Status, i.StartedAt)).ToList();
        return new HouseholdContacts(household, upcoming, contacts, events);
    }

    /// <summary>The household's recorded life events, newest first.</summary>
    public async Task<IReadOnlyList<LifeEventView>> LifeEventsAsync(HouseholdId householdId, CancellationToken cancellationToken = default)
    {
        var events = await db.LifeEvents.AsNoTracking()
            .Where(e => e.HouseholdId == householdId)
            .OrderByDescending(e => e.OccurredOn).ThenByDescending(e => e.Id)
            .ToListAsync(cancellationToken);
        var members = await db.Households.AsNoTracking()
            .Where(h => h.Id == householdId)
            .SelectMany(h => h.Members).Select(m => new { m.ExternalId, m.FirstName, m.LastName })
            .ToListAsync(cancellationToken);
        var names = members.ToDictionary(m => m.ExternalId, m => $"{m.FirstName} {m.LastName}".Trim(), StringComparer.Ordinal);
        return events.Select(e => View(e, names)).ToList();
    }

    /// <summary>
    /// Records a life event (audited) and starts its contact at once, dated to the event (today when it is past),
    /// unless the household asked not to be contacted. The outcome says what happened either way.
    /// </summary>
    public async Task<Result<LifeEventRecorded>> RecordLifeEventAsync(
        HouseholdId householdId, LifeEventKind kind, LocalDate occurredOn, string? memberExternalId, string? note, string actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var household = await db.Households.AsNoTracking().Include(h => h.Members).SingleOrDefaultAsync(h => h.Id == householdId, cancellationToken);
        if (household is null)
        {
            return Error.NotFound($"Household {householdId} does not exist.");
        }

        var member = string.IsNullOrWhiteSpace(memberExternalId) ? null : memberExternalId.Trim();
        if (member is not null && household.Members.All(m => m.ExternalId != member))
        {
            var known = household.Members.Count == 0 ? "it has no members recorded" : "its members are " + string.Join(", ", household.Members.Select(m => $"{m.ExternalId} ({m.FullName})"));
            return Error.Invalid($"member: {member} is not a member of {household.Key}; {known}.");
        }

        if (note is { Length: > 2000 })
        {
            return Error.Invalid("note: at most 2000 characters.");
        }

        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var today = firm.Today(clock);
        db.ChangeTracker.Clear();
        db.Actor = actor;
        db.Operation = "record-life-event";
        var recorded = new LifeEvent(householdId, member, kind, occurredOn, note, clock.GetCurrentInstant(), actor);
        db.LifeEvents.Add(recorded);
        await db.SaveChangesAsync(cancellationToken);
        db.Operation = null;

        var names = household.Members.ToDictionary(m => m.ExternalId, m => m.FullName, StringComparer.Ordinal);
        if (household.DoNotContact)
        {
            return new LifeEventRecorded(View(recorded, names), null, "Recorded; no contact started because the household asked not to be contacted.");
        }

        await StoreMissingTiersAsync([householdId], actor, cancellationToken);
        var occasion = new Occasion(OccasionKind.LifeEvent, occurredOn, LifeEventKinds.Text(kind), LifeEventId: recorded.Id, LifeEvent: kind);
        var key = occasion.TriggerKey(householdId);
        var started = await new WorkService(db, clock).StartAsync(
            ContactKeys.Template, householdId, Anchors(ContactBudget.ContactDay(occasion, today)), actor, key, cancellationToken);
        if (!started.IsSuccess && started.Error!.Kind == ErrorKind.NotFound)
        {
            return new LifeEventRecorded(View(recorded, names), null, $"Recorded; no contact started: {started.Error.Message}");
        }

        if (!(await InstancesByKeyAsync([key], cancellationToken)).TryGetValue(key, out var contact))
        {
            return new LifeEventRecorded(View(recorded, names), null, $"Recorded; the contact could not start: {started.Error?.Message}");
        }

        await LinkAsync(recorded.Id, contact, actor, cancellationToken);
        var role = ContactBudget.OwnerRole(await TierOfAsync(householdId, today, cancellationToken), kind == LifeEventKind.Loss || await RecentLossAsync(householdId, today, cancellationToken));
        var linked = View(recorded, names) with { ContactProcess = contact.Value };
        return new LifeEventRecorded(linked, contact.Value, $"Recorded; contact process #{contact} started for the {role}, due {ContactBudget.ContactDay(occasion, today):uuuu-MM-dd}.");
    }

    private static Dictionary<string, LocalDate> Anchors(LocalDate on) => new(StringComparer.Ordinal) { [ContactKeys.Anchor] = on };

    private static LifeEventView View(LifeEvent e, IReadOnlyDictionary<string, string> names) => new(
        e.Id, LifeEventKinds.Text(e.Kind), e.OccurredOn, e.MemberExternalId,
        e.MemberExternalId is { } id && names.TryGetValue(id, out var name) ? name : null,
        e.Note, e.RecordedAt, e.RecordedBy, e.ContactInstanceId?.Value);

    /// <summary>"Birthday (P1)", "Life event: loss", "Check-in" — from the contact's trigger key.</summary>
    private static string Describe(string? triggerKey, IReadOnlyList<LifeEventView> events)
    {
        var occasion = ContactKeys.OccasionOf(triggerKey);
        if (occasion is null)
        {
            return "Started by hand";
        }

        var parts = occasion.Split(':', 2);
        return parts[0] switch
        {
            "birthday" => $"Birthday ({(parts.Length > 1 ? parts[1] : "?")})",
            "anniversary" => "Wedding anniversary",
            "life-event" when parts.Length > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && events.FirstOrDefault(e => e.Id == id) is { } e => $"Life event: {e.Kind.Replace('-', ' ')}",
            "life-event" => "Life event",
            _ => "Check-in",
        };
    }

    /// <summary>Everything the budget reads about a set of households, in a handful of queries.</summary>
    private async Task<List<ContactHousehold>> ReadAsync(IReadOnlyCollection<HouseholdId> ids, LocalDate today, ServiceSettings settings, CancellationToken cancellationToken)
    {
        // Lists travel as one parameter (EF.Parameter): expanded into thousands of parameters they make every query slow.
        var list = ids.ToList();
        var nullable = list.Select(id => (HouseholdId?)id).ToList();
        var households = await db.Households.AsNoTracking().AsSplitQuery()
            .Include(h => h.Members)
            .Where(h => EF.Parameter(list).Contains(h.Id))
            .ToListAsync(cancellationToken);
        var tiers = (await db.HouseholdTiers.AsNoTracking().Where(t => EF.Parameter(list).Contains(t.HouseholdId)).ToListAsync(cancellationToken))
            .ToDictionary(t => t.HouseholdId, t => t.InForceOn(today));

        // A household with no stored tier yet is decided from its facts, which need its accounts and policies too.
        var untiered = households.Where(h => !tiers.ContainsKey(h.Id)).Select(h => h.Id).ToList();
        foreach (var (id, tier) in await TierBook.DecideUnstoredAsync(db, untiered, today, settings.TierModel, cancellationToken))
        {
            tiers[id] = tier;
        }

        var events = (await db.LifeEvents.AsNoTracking().Where(e => EF.Parameter(list).Contains(e.HouseholdId)).ToListAsync(cancellationToken))
            .ToLookup(e => e.HouseholdId);

        // Contacts of the last two years are plenty: only the last twelve months count against the frequency.
        var since = today.PlusYears(-2);
        var contacts = (await db.Instances.AsNoTracking()
            .Where(i => i.TemplateKey == ContactKeys.Template && i.Status != InstanceStatus.Cancelled && i.HouseholdId != null
                && EF.Parameter(nullable).Contains(i.HouseholdId) && i.StartedOn >= since)
            .Select(i => new { i.HouseholdId, i.TriggerKey, i.Anchors, i.StartedOn })
            .ToListAsync(cancellationToken))
            .ToLookup(i => i.HouseholdId!.Value, i => new PastContact(i.Anchors.TryGetValue(ContactKeys.Anchor, out var on) ? on : i.StartedOn, i.TriggerKey));

        return households.Select(h => new ContactHousehold(
            h.Id, h.Key, h.Name,
            tiers.GetValueOrDefault(h.Id, ServiceTier.Unsegmented),
            h.DoNotContact, h.PreferredChannels, h.MarriedOn,
            h.Members.Select(m => new ContactMember(m.ExternalId, m.FullName, m.Relationship, m.BirthDate)).ToList(),
            events[h.Id].Select(e => new ContactLifeEvent(e.Id, e.Kind, e.OccurredOn, e.MemberExternalId, e.Note, e.ContactInstanceId is not null)).ToList(),
            contacts[h.Id].ToList())).ToList();
    }

    private async Task StoreMissingTiersAsync(IReadOnlyCollection<HouseholdId> ids, string actor, CancellationToken cancellationToken)
    {
        var missing = new List<HouseholdId>();
        foreach (var batch in ids.Chunk(Batch))
        {
            var list = batch.ToList();
            var stored = await db.HouseholdTiers.AsNoTracking().Where(t => EF.Parameter(list).Contains(t.HouseholdId)).Select(t => t.HouseholdId).ToListAsync(cancellationToken);
            missing.AddRange(list.Except(stored));
        }

        if (missing.Count > 0)
        {
            await new TierBook(db, clock).RecomputeAsync(missing, actor, cancellationToken);
        }
    }

    private async Task<ServiceTier> TierOfAsync(HouseholdId id, LocalDate today, CancellationToken cancellationToken) =>
        (await db.HouseholdTiers.AsNoTracking().SingleOrDefaultAsync(t => t.HouseholdId == id, cancellationToken))?.InForceOn(today) ?? ServiceTier.Unsegmented;

    private Task<bool> RecentLossAsync(HouseholdId id, LocalDate today, CancellationToken cancellationToken)
    {
        var since = HouseholdFacts.RecentSince(today);
        return db.LifeEvents.AsNoTracking().AnyAsync(e => e.HouseholdId == id && e.Kind == LifeEventKind.Loss && e.OccurredOn >= since, cancellationToken);
    }

    private async Task<Dictionary<string, InstanceId>> InstancesByKeyAsync(List<string> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, InstanceId>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(Batch))
        {
            var list = chunk.ToList();
            foreach (var row in await db.Instances.AsNoTracking()
                .Where(i => i.TriggerKey != null && EF.Parameter(list).Contains(i.TriggerKey))
                .Select(i => new { i.Id, i.TriggerKey })
                .ToListAsync(cancellationToken))
            {
                found[row.TriggerKey!] = row.Id;
            }
        }

        return found;
    }

    /// <summary>Points life events at the contact started for them (now or by an earlier run whose link was lost).</summary>
    private async Task LinkLifeEventsAsync(List<ContactLine> lines, string actor, CancellationToken cancellationToken)
    {
        var unlinked = lines.Where(l => l.Household.LifeEvents.Any(e => e.Id == l.Occasion.LifeEventId && !e.ContactStarted)).ToList();
        if (unlinked.Count == 0)
        {
            return;
        }

        var keys = await InstancesByKeyAsync(unlinked.Select(l => l.TriggerKey).ToList(), cancellationToken);
        foreach (var line in unlinked)
        {
            if (keys.TryGetValue(line.TriggerKey, out var instance))
            {
                await LinkAsync(line.Occasion.LifeEventId!.Value, instance, actor, cancellationToken);
            }
        }
    }

    private async Task LinkAsync(long lifeEventId, InstanceId instance, string actor, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        db.Actor = actor;
        db.Operation = "link-life-event-contact";
        var e = await db.LifeEvents.SingleAsync(x => x.Id == lifeEventId, cancellationToken);
        if (e.ContactInstanceId is null)
        {
            e.ContactStarted(instance);
            await db.SaveChangesAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        db.Operation = null;
    }

    private async Task<LocalDate?> PlannedOnAsync(DateTimeZone zone, CancellationToken cancellationToken)
    {
        var cursor = await db.PeriodicCursors.AsNoTracking().SingleOrDefaultAsync(c => c.TriggerId == CursorId, cancellationToken);
        return cursor?.LastSweptAt.InZone(zone).Date;
    }

    private async Task RememberPlannedAsync(CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var now = clock.GetCurrentInstant();
        var cursor = await db.PeriodicCursors.SingleOrDefaultAsync(c => c.TriggerId == CursorId, cancellationToken);
        if (cursor is null)
        {
            db.PeriodicCursors.Add(new PeriodicCursor { TriggerId = CursorId, LastSweptAt = now });
        }
        else
        {
            cursor.LastSweptAt = now;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (Conflicts.IsUniqueViolation(ex))
        {
            // Another node planned the same day and created the cursor first; either value is fine.
        }

        db.ChangeTracker.Clear();
    }
}
