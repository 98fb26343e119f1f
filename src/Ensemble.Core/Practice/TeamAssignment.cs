using Ensemble.Common;

namespace Ensemble.Practice;

/// <summary>
/// Who holds a role for a household (or for the firm, when <see cref="HouseholdId"/> is null),
/// and who covers, in order, when that person is away.
/// </summary>
public sealed class TeamAssignment
{
    private TeamAssignment()
    {
        RoleKey = "";
    }

    public TeamAssignment(HouseholdId? householdId, string roleKey, StaffId staffId, IEnumerable<StaffId> backups)
    {
        HouseholdId = householdId;
        RoleKey = RoleKeys.Normalize(roleKey);
        StaffId = staffId;
        Backups = backups.Where(b => b != staffId).Distinct().ToList();
    }

    public long Id { get; private set; }

    public HouseholdId? HouseholdId { get; private set; }

    public string RoleKey { get; private set; }

    public StaffId StaffId { get; private set; }

    public List<StaffId> Backups { get; private set; } = [];

    public bool IsFirmLevel => HouseholdId is null;

    public void Reassign(StaffId staffId, IEnumerable<StaffId>? backups = null)
    {
        var keep = backups ?? Backups;
        StaffId = staffId;
        Backups = keep.Where(b => b != staffId).Distinct().ToList();
    }

    public void SetBackups(IEnumerable<StaffId> backups) => Backups = backups.Where(b => b != StaffId).Distinct().ToList();

    /// <summary>The holder followed by the backups: the order in which work is offered.</summary>
    public IEnumerable<StaffId> CoverageOrder() => Backups.Prepend(StaffId);
}
