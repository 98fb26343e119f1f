using System.Collections.Concurrent;
using Ensemble.Common;
using Ensemble.Practice;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Work;

/// <summary>
/// Each household's own team, as it stood at the household's team stamp. Every transition routes the work it activates
/// through the team, so a process keeps the teams it has read per database, and a transition, which reads the stamp with
/// its process, reads the team again only when the stamp has moved.
/// </summary>
/// <remarks>
/// Database triggers on team_assignments move the stamp inside the writing transaction, so a change from any process is
/// seen by the next transition after it commits. The assignments are shared between requests and must only be read.
/// </remarks>
internal static class HouseholdTeams
{
    // Past this many households a database's teams are all forgotten and read again as they are needed: a bound on
    // memory that the largest books (tens of thousands of households) stay under.
    private const int MaxPerDatabase = 50_000;

    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<HouseholdId, Known>> ByDatabase = new(StringComparer.Ordinal);

    private static readonly CompiledPerModel<Func<EnsembleDb, HouseholdId, IAsyncEnumerable<TeamAssignment>>> TeamQuery = new(() => EF.CompileAsyncQuery(
        (EnsembleDb db, HouseholdId id) => db.TeamAssignments.AsNoTracking().Where(a => a.HouseholdId == id)));

    /// <summary>The household's team at <paramref name="stamp"/>, which the caller read before calling; null: no stamp yet.</summary>
    public static async Task<IReadOnlyList<TeamAssignment>> AtAsync(EnsembleDb db, HouseholdId householdId, long? stamp, CancellationToken cancellationToken)
    {
        var known = ByDatabase.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new());
        if (stamp is not null && known.TryGetValue(householdId, out var held) && held.Stamp == stamp)
        {
            return held.Team;
        }

        // Read after the stamp, so the team kept under a stamp is never older than the stamp says.
        var team = new List<TeamAssignment>();
        await foreach (var row in TeamQuery.For(db)(db, householdId).WithCancellation(cancellationToken))
        {
            team.Add(row);
        }

        // A household without a stamp row has never had a team written; it is read afresh until it has one.
        if (stamp is { } value)
        {
            if (known.Count >= MaxPerDatabase)
            {
                known.Clear();
            }

            known[householdId] = new Known(value, team);
        }

        return team;
    }

    private sealed record Known(long Stamp, IReadOnlyList<TeamAssignment> Team);
}
