using System.Collections.Concurrent;
using Ensemble.Common;
using Ensemble.Practice;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Work;

/// <summary>
/// The firm's settings, all its staff and its firm-level role holders, as they stood at one directory stamp. Every
/// transition routes new work through the staff's roles and absences and dates it on the firm's calendar, so rather than
/// read them on every request, a process keeps the latest snapshot per database and reads them again only when the
/// stamp has moved.
/// </summary>
/// <remarks>
/// The stamp is moved by database triggers on the firms and staff tables and on firm-level team assignments, inside
/// the writing transaction, so a change from any process (another web node, the CLI, an import) is seen by the next
/// request after it commits. The objects are shared between requests and must only be read.
/// </remarks>
internal sealed record FirmSnapshot(long? Stamp, Firm Firm, IReadOnlyDictionary<StaffId, Staff> Staff, IReadOnlyList<TeamAssignment> FirmTeam)
{
    private static readonly ConcurrentDictionary<string, FirmSnapshot> Latest = new(StringComparer.Ordinal);
    private static readonly CompiledPerModel<Func<EnsembleDb, CancellationToken, Task<long?>>> StampQuery = new(() => EF.CompileAsyncQuery(
        (EnsembleDb db, CancellationToken _) => db.DirectoryStamp.Where(s => s.Id == 1).Select(s => (long?)s.Stamp).FirstOrDefault()));

    public static async Task<FirmSnapshot> CurrentAsync(EnsembleDb db, CancellationToken cancellationToken) =>
        await AtAsync(db, await StampQuery.For(db)(db, cancellationToken), held: null, cancellationToken);

    /// <summary>The snapshot at a stamp the caller read itself, together with other rows; <paramref name="held"/> is one it already has.</summary>
    public static async Task<FirmSnapshot> AtAsync(EnsembleDb db, long? stamp, FirmSnapshot? held, CancellationToken cancellationToken)
    {
        // The stamp is read before the firm and staff, so a snapshot is never labelled newer than what it holds.
        if (stamp is not null && held?.Stamp == stamp)
        {
            return held;
        }

        var database = db.Database.GetConnectionString() ?? "";
        if (stamp is not null && Latest.TryGetValue(database, out var known) && known.Stamp == stamp)
        {
            return known;
        }

        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var staff = await db.Staff.AsNoTracking().ToDictionaryAsync(s => s.Id, cancellationToken);
        var firmTeam = await db.TeamAssignments.AsNoTracking().Where(a => a.HouseholdId == null).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var snapshot = new FirmSnapshot(stamp, firm, staff, firmTeam);

        // A database without the stamp row (created without migrations) is read afresh every time.
        if (stamp is not null)
        {
            Latest[database] = snapshot;
        }

        return snapshot;
    }
}
