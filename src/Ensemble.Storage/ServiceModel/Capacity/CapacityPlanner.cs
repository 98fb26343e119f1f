using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Processes.Templates;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Capacity;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.ServiceModel.Capacity;

/// <summary>
/// Reads what the capacity plan needs from the firm's database — client households with their tier
/// and team, staff and their absences, the latest templates, touchpoints laid out for the year and the
/// service settings — and runs <see cref="CapacityModel"/>. Read-only.
/// </summary>
public sealed class CapacityPlanner(EnsembleDb db, IClock clock)
{
    public const int FirstYear = 2000;
    public const int LastYear = 2200;

    private const int Batch = 1000;

    /// <summary>The plan for a year (the firm's current year when null).</summary>
    public async Task<Result<CapacityPlan>> PlanAsync(int? year, CapacityOptions options, CancellationToken cancellationToken = default)
    {
        var model = await ModelAsync(year, options, null, cancellationToken);
        return model.IsSuccess ? model.Value.Plan() : model.Error!;
    }

    /// <summary>What a change of tiers would do to the year's hours.</summary>
    public async Task<Result<WhatIfResult>> WhatIfAsync(int? year, CapacityOptions options, WhatIf whatIf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(whatIf);
        var model = await ModelAsync(year, options, whatIf, cancellationToken);
        return model.IsSuccess ? model.Value.WhatIf(whatIf) : model.Error!;
    }

    /// <summary>
    /// The model for a year, ready for a plan and what-ifs. A "move the closest" what-if needs each
    /// candidate household's criteria counts, so pass it when one will be asked, to load them.
    /// </summary>
    public async Task<Result<CapacityModel>> ModelAsync(int? year, CapacityOptions options, WhatIf? whatIf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var input = await LoadAsync(year, (whatIf as MoveClosest)?.From, options, cancellationToken);
        return input.IsSuccess ? CapacityModel.Build(input.Value, options) : input.Error!;
    }

    /// <summary>Loads the model's input; households in <paramref name="supportFor"/> get their criteria counts decided.</summary>
    public async Task<Result<CapacityInput>> LoadAsync(int? year, ServiceTier? supportFor, CapacityOptions options, CancellationToken cancellationToken = default)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var today = firm.Today(clock);
        var y = year ?? today.Year;
        if (y is < FirstYear or > LastYear)
        {
            return Error.Invalid($"year: {y} is not a year to plan; choose one from {FirstYear} to {LastYear}.");
        }

        var settings = await ServiceSettingsStore.GetAsync(db, cancellationToken);
        var roles = (await db.Roles.AsNoTracking().ToListAsync(cancellationToken)).OrderBy(RoleOrder).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var staff = await db.Staff.AsNoTracking().Where(s => s.Active).OrderBy(s => s.Name).ToListAsync(cancellationToken);
        var active = staff.Select(s => s.Id).ToHashSet();
        var people = staff.Select(s => new CapacityPerson(s.Id, s.Handle, s.Name, s.Roles, s.Absences)).ToList();

        var clients = await db.Households.AsNoTracking()
            .Where(h => h.Stage == LifecycleStage.Client)
            .OrderBy(h => h.Key)
            .Select(h => new { h.Id, h.Key, h.ReviewMonth })
            .ToListAsync(cancellationToken);
        var stored = await db.HouseholdTiers.AsNoTracking().ToDictionaryAsync(t => t.HouseholdId, cancellationToken);
        var tiers = new Dictionary<HouseholdId, ServiceTier>(clients.Count);
        foreach (var client in clients)
        {
            if (stored.TryGetValue(client.Id, out var row))
            {
                tiers[client.Id] = row.InForceOn(today);
            }
        }

        // Households never tiered are decided from their facts now; their criteria counts come with it.
        var support = new Dictionary<HouseholdId, TierSupport>();
        var decide = clients.Where(c => !tiers.ContainsKey(c.Id) || (supportFor is { } t && tiers[c.Id] == t)).Select(c => c.Id).ToList();
        foreach (var ids in decide.Chunk(Batch))
        {
            var batch = await db.Households.AsNoTracking().AsSplitQuery()
                .Include(h => h.Members).Include(h => h.Accounts).Include(h => h.Policies)
                .Where(h => ids.Contains(h.Id))
                .ToListAsync(cancellationToken);
            foreach (var household in batch)
            {
                var decision = Tiering.Decide(household.Facts(today), settings.TierModel);
                support[household.Id] = TierSupport.From(decision);
                tiers.TryAdd(household.Id, decision.Tier);
            }
        }

        var (teams, teamOf, firmTeam) = await TeamsAsync(active, cancellationToken);
        var households = clients
            .Select(c => new CapacityHousehold(c.Id, c.Key, tiers[c.Id], c.ReviewMonth, teamOf.GetValueOrDefault(c.Id, -1), support.GetValueOrDefault(c.Id)))
            .ToList();

        var touchpoints = (await db.Touchpoints.AsNoTracking()
                .Where(t => t.Year == y && t.Status != TouchpointStatus.Cancelled)
                .Select(t => new { t.HouseholdId, t.Kind, t.StartsAt, t.Minutes, t.AdvisorId })
                .ToListAsync(cancellationToken))
            .Select(t => new StoredTouchpoint(t.HouseholdId, t.Kind, t.StartsAt.Date, t.Minutes, t.AdvisorId))
            .ToList();

        var templates = new List<ProcessTemplate>();
        foreach (var (id, hash) in await TemplateVersions.LatestIdsAsync(db, cancellationToken))
        {
            templates.Add(await TemplateCache.GetAsync(db, id, hash, cancellationToken));
        }

        return new CapacityInput(y, firm.Calendar, firm.Zone, settings, roles, people, firmTeam, teams, households, touchpoints, templates);
    }

    /// <summary>
    /// Distinct household teams, each household's team, and the firm-level holders. The person doing a
    /// role's work is its holder, or the first backup still at the firm when the holder has left.
    /// </summary>
    private async Task<(List<IReadOnlyDictionary<string, StaffId>> Teams, Dictionary<HouseholdId, int> TeamOf, Dictionary<string, StaffId> Firm)> TeamsAsync(
        HashSet<StaffId> active, CancellationToken cancellationToken)
    {
        var assignments = await db.TeamAssignments.AsNoTracking().ToListAsync(cancellationToken);
        StaffId Doer(TeamAssignment a) => a.CoverageOrder().FirstOrDefault(active.Contains, a.StaffId);

        var firm = new Dictionary<string, StaffId>(StringComparer.Ordinal);
        foreach (var a in assignments.Where(a => a.IsFirmLevel))
        {
            firm[a.RoleKey] = Doer(a);
        }

        var teams = new List<IReadOnlyDictionary<string, StaffId>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var teamOf = new Dictionary<HouseholdId, int>();
        foreach (var household in assignments.Where(a => !a.IsFirmLevel).GroupBy(a => a.HouseholdId!.Value))
        {
            var team = household.OrderBy(a => a.RoleKey, StringComparer.Ordinal).ToDictionary(a => a.RoleKey, Doer, StringComparer.Ordinal);
            var signature = string.Join("|", team.Select(x => $"{x.Key}={x.Value}"));
            if (!index.TryGetValue(signature, out var i))
            {
                index[signature] = i = teams.Count;
                teams.Add(team);
            }

            teamOf[household.Key] = i;
        }

        return (teams, teamOf, firm);
    }

    /// <summary>Built-in roles in their usual order, the firm's own after them.</summary>
    private static int RoleOrder(Role role)
    {
        var i = RoleKeys.Defaults.Select(r => r.Key).ToList().IndexOf(role.Key);
        return i < 0 ? int.MaxValue : i;
    }
}
