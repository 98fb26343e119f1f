using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.Processes.Templates;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Work;

/// <summary>Loads what the engine needs for one household (or the firm), read-only and in few queries.</summary>
public static class WorkContextLoader
{
    public static async Task<Firm> FirmAsync(EnsembleDb db, CancellationToken cancellationToken = default) =>
        await db.Firms.AsNoTracking().FirstOrDefaultAsync(cancellationToken)
        ?? throw new InvalidOperationException("No firm is set up in this database; run `ensemble init` first.");

    /// <param name="staffDirectory">The firm's staff when the caller already holds them (a service reads them once); else read here.</param>
    public static async Task<WorkContext> LoadAsync(
        EnsembleDb db, Firm firm, HouseholdId? householdId, bool needFacts, LocalDate today,
        IReadOnlyDictionary<StaffId, Staff>? staffDirectory = null, CancellationToken cancellationToken = default)
    {
        var assignments = await db.TeamAssignments.AsNoTracking()
            .Where(a => a.HouseholdId == null || (householdId != null && a.HouseholdId == householdId))
            .ToListAsync(cancellationToken);
        var staff = staffDirectory;
        if (staff is null)
        {
            var staffIds = assignments.SelectMany(a => a.CoverageOrder()).Distinct().ToList();
            staff = await db.Staff.AsNoTracking().Where(s => staffIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        }

        var facts = HouseholdFacts.None;
        if (needFacts && householdId is { } id)
        {
            var household = await db.Households.AsNoTracking().AsSplitQuery()
                .Include(h => h.Members).Include(h => h.Accounts).Include(h => h.Policies)
                .SingleAsync(h => h.Id == id, cancellationToken);
            facts = household.Facts(today);
        }

        return new WorkContext(firm.Calendar, firm.Zone, assignments, staff, facts);
    }

    public static bool NeedsFacts(ProcessTemplate template) => template.Steps.Any(s => s.Condition is not null);
}
