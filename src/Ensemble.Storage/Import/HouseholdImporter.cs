using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Processes.Running;
using Ensemble.Processes.Templates;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Import;

/// <summary>
/// Imports households, members, accounts and policies from CSV (headers in docs/import.md).
/// Every row is checked before anything is written and every problem is reported with its place;
/// then the whole file is applied in one transaction, or nothing is. Keys are the source's external
/// ids, so importing the same file again finds nothing to change and records nothing.
/// </summary>
public sealed class HouseholdImporter(EnsembleDb db, IClock clock)
{
    // Households whose facts this import changed; their tiers are re-decided before it commits.
    private readonly HashSet<HouseholdId> _changed = [];

    private const int Batch = 2000;
    private const int KeysPerQuery = 500;

    public static readonly IReadOnlyDictionary<ImportKind, (string[] Required, string[] Optional)> Columns = new Dictionary<ImportKind, (string[], string[])>
    {
        [ImportKind.Households] = (["household_id", "name"], ["stage", "net_worth", "investable_assets", "household_income", "initial_revenue", "recurring_revenue", "referrals_given", "products", "preferred_channels", "do_not_contact", "tags", "mailing_address"]),
        [ImportKind.Members] = (["household_id", "member_id", "first_name", "last_name"], ["birth_date", "relationship", "email"]),
        [ImportKind.Accounts] = (["household_id", "account_id", "type", "custodian", "value"], ["opened_on"]),
        [ImportKind.Policies] = (["household_id", "policy_id", "type", "carrier", "coverage"], ["annual_premium", "insured_member_id"]),
    };

    public async Task<ImportReport> ImportAsync(ImportKind kind, string path, string actor, Func<IReadOnlyList<DomainEvent>, Task>? onEvents = null, CancellationToken cancellationToken = default)
    {
        _changed.Clear();
        var errors = new List<ImportError>();
        var rows = Parse(kind, path, errors);
        if (errors.Count == 0 && kind != ImportKind.Households)
        {
            await CheckHouseholdsExistAsync(rows, Path.GetFileName(path), errors, cancellationToken);
        }

        if (errors.Count > 0)
        {
            return ImportReport.Failed(errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }

        db.Actor = actor;
        db.Operation = "import-" + kind.ToString().ToLowerInvariant();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var outcome = kind == ImportKind.Households
            ? await ApplyHouseholdsAsync(rows.Cast<HouseholdRow>().ToList(), cancellationToken)
            : await ApplyChildrenAsync(kind, rows, cancellationToken);
        if (_changed.Count is > 0 and <= ServiceModel.TierBook.InlineRecomputeLimit)
        {
            db.ChangeTracker.Clear();
            await new ServiceModel.TierBook(db, clock).RecomputeAsync(_changed, actor, cancellationToken);
            db.Operation = "import-" + kind.ToString().ToLowerInvariant();
        }
        else if (_changed.Count > 0)
        {
            // A whole book at once: re-deciding inside the import would multiply its time, so the next
            // sweep (or `ensemble tiers recompute`) re-decides every household instead.
            await ServiceModel.TierBook.RecomputeAtNextSweepAsync(db, cancellationToken);
        }

        if (onEvents is not null && outcome.Events.Count > 0)
        {
            db.ChangeTracker.Clear();
            await onEvents(outcome.Events);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return outcome;
    }

    private static List<ImportRow> Parse(ImportKind kind, string path, List<ImportError> errors)
    {
        var (required, optional) = Columns[kind];
        var rows = new List<ImportRow>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in CsvTable.Read(path, required, optional, errors))
        {
            ImportRow? parsed = kind switch
            {
                ImportKind.Households => new HouseholdRow(
                    row.Line, row.Text("household_id", true)!, row.Text("name", true)!, row.Stage("stage"),
                    new StatedFacts(
                        Amount(row.Decimal("net_worth")), Amount(row.Decimal("investable_assets")), Amount(row.Decimal("household_income")),
                        Amount(row.Decimal("initial_revenue")), Amount(row.Decimal("recurring_revenue")), row.Int("referrals_given"), row.Int("products")),
                    row.List("preferred_channels"), row.Bool("do_not_contact"), row.List("tags"), row.Text("mailing_address")),
                ImportKind.Members => new MemberRow(
                    row.Line, row.Text("household_id", true)!, row.Text("member_id", true)!, row.Text("first_name", true)!, row.Text("last_name", true)!,
                    row.Date("birth_date"), row.Relationship("relationship"), row.Email("email")),
                ImportKind.Accounts => new AccountRow(
                    row.Line, row.Text("household_id", true)!, row.Text("account_id", true)!, row.Text("type", true)!, row.Text("custodian", true)!,
                    new Money(row.Decimal("value", true) ?? 0m), row.Date("opened_on")),
                _ => new PolicyRow(
                    row.Line, row.Text("household_id", true)!, row.Text("policy_id", true)!, row.Text("type", true)!, row.Text("carrier", true)!,
                    new Money(row.Decimal("coverage", true) ?? 0m), new Money(row.Decimal("annual_premium") ?? 0m), row.Text("insured_member_id")),
            };

            if (!parsed.Complete)
            {
                continue;
            }

            var id = parsed.Identity;
            if (seen.TryGetValue(id, out var first))
            {
                row.Error(kind == ImportKind.Households ? "household_id" : required[1], $"\"{id}\" appears again (first on line {first})");
                continue;
            }

            seen[id] = row.Line;
            rows.Add(parsed);
        }

        return rows;
    }

    private static Money? Amount(decimal? value) => value is null ? null : new Money(value.Value);

    private async Task CheckHouseholdsExistAsync(List<ImportRow> rows, string file, List<ImportError> errors, CancellationToken cancellationToken)
    {
        var keys = rows.Select(r => r.HouseholdKey).Distinct().ToList();
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(KeysPerQuery))
        {
            found.UnionWith(await db.Households.AsNoTracking().Where(h => chunk.Contains(h.Key)).Select(h => h.Key).ToListAsync(cancellationToken));
        }

        foreach (var row in rows.Where(r => !found.Contains(r.HouseholdKey)))
        {
            errors.Add(new ImportError(file, row.Line, 1, "household_id", $"household \"{row.HouseholdKey}\" does not exist (import households first)"));
        }
    }

    private async Task<ImportReport> ApplyHouseholdsAsync(List<HouseholdRow> rows, CancellationToken cancellationToken)
    {
        int created = 0, updated = 0, unchanged = 0;
        var becameClient = new List<Household>();
        var newIds = new Dictionary<string, HouseholdId>(StringComparer.Ordinal);
        foreach (var batch in rows.Chunk(Batch))
        {
            var keys = batch.Select(r => r.HouseholdKey).ToList();
            var existing = await db.Households.Where(h => keys.Contains(h.Key)).ToDictionaryAsync(h => h.Key, StringComparer.Ordinal, cancellationToken);
            var touched = new List<(Household Household, bool New, bool WasClient)>();
            var fresh = new List<Household>();
            foreach (var row in batch)
            {
                if (!existing.TryGetValue(row.HouseholdKey, out var household))
                {
                    household = new Household(row.HouseholdKey, row.Name, row.Stage);
                    fresh.Add(household);
                    touched.Add((household, true, false));
                }
                else
                {
                    touched.Add((household, false, household.Stage == LifecycleStage.Client));
                    household.Rename(row.Name);
                    household.MoveTo(row.Stage);
                }

                household.SetStatedFacts(row.Facts);
                household.SetCommunication(row.Channels, row.DoNotContact);
                household.SetTags(row.Tags);
                if (row.MailingAddress is not null)
                {
                    // A file without addresses keeps the ones on record; lines are separated by "|" in a CSV cell.
                    household.SetMailingAddress(row.MailingAddress);
                }
            }

            db.ChangeTracker.DetectChanges();
            foreach (var (household, isNew, wasClient) in touched)
            {
                if (isNew)
                {
                    created++;
                }
                else if (db.Entry(household).State == EntityState.Modified)
                {
                    updated++;
                    _changed.Add(household.Id);
                }
                else
                {
                    unchanged++;
                }

                if (household.Stage == LifecycleStage.Client && !wasClient)
                {
                    becameClient.Add(household);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            foreach (var (key, id) in await NewHouseholds.InsertAsync(db, fresh, clock.GetCurrentInstant(), cancellationToken))
            {
                newIds[key] = id;
                _changed.Add(id);
            }
        }

        var stamp = clock.GetCurrentInstant().ToUnixTimeTicks();
        var events = becameClient
            .Select(h => newIds.TryGetValue(h.Key, out var id) ? id : h.Id)
            .Select(id => new DomainEvent(EventKind.HouseholdBecameClient, id, null, $"client:{id}:{stamp}"))
            .ToList();
        return new ImportReport([], created, updated, unchanged, events);
    }

    private async Task<ImportReport> ApplyChildrenAsync(ImportKind kind, List<ImportRow> rows, CancellationToken cancellationToken)
    {
        int created = 0, updated = 0, unchanged = 0;
        var events = new List<DomainEvent>();
        var stamp = clock.GetCurrentInstant().ToUnixTimeTicks();
        foreach (var batch in rows.GroupBy(r => r.HouseholdKey).Chunk(KeysPerQuery))
        {
            var keys = batch.Select(g => g.Key).ToList();
            var query = db.Households.Where(h => keys.Contains(h.Key));
            query = kind switch
            {
                ImportKind.Members => query.Include(h => h.Members),
                ImportKind.Accounts => query.Include(h => h.Accounts),
                _ => query.Include(h => h.Policies),
            };
            var households = await query.ToDictionaryAsync(h => h.Key, StringComparer.Ordinal, cancellationToken);
            var children = new List<(object Child, bool New)>();
            foreach (var group in batch)
            {
                var household = households[group.Key];
                foreach (var row in group)
                {
                    switch (row)
                    {
                        case MemberRow m:
                            var isNewMember = household.Members.All(x => x.ExternalId != m.ExternalId);
                            children.Add((household.UpsertMember(m.ExternalId, m.FirstName, m.LastName, m.BirthDate, m.Relationship, m.Email), isNewMember));
                            break;
                        case AccountRow a:
                            var opened = household.UpsertAccount(a.ExternalId, a.Type, a.Custodian, a.Value, a.OpenedOn);
                            children.Add((household.Accounts.Single(x => x.ExternalId == a.ExternalId), opened));
                            if (opened)
                            {
                                events.Add(new DomainEvent(EventKind.AccountOpened, household.Id, null, $"account:{household.Id}:{a.ExternalId}:{stamp}"));
                            }

                            break;
                        case PolicyRow p:
                            var isNewPolicy = household.Policies.All(x => x.ExternalId != p.ExternalId);
                            household.UpsertPolicy(p.ExternalId, p.Type, p.Carrier, p.Coverage, p.AnnualPremium, p.Insured);
                            children.Add((household.Policies.Single(x => x.ExternalId == p.ExternalId), isNewPolicy));
                            break;
                    }
                }
            }

            db.ChangeTracker.DetectChanges();
            foreach (var (child, isNew) in children)
            {
                if (isNew)
                {
                    created++;
                }
                else if (db.Entry(child).State == EntityState.Modified)
                {
                    updated++;
                }

                if (isNew || db.Entry(child).State == EntityState.Modified)
                {
                    _changed.Add((HouseholdId)db.Entry(child).Property("HouseholdId").CurrentValue!);
                }
                else
                {
                    unchanged++;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        return new ImportReport([], created, updated, unchanged, events);
    }
}
