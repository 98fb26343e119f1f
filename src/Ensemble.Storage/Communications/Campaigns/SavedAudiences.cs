using Ensemble.Common;
using Ensemble.Communications.Campaigns;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications.Campaigns;

/// <summary>A saved audience as lists show it.</summary>
public sealed record SavedAudienceView(string Name, AudienceView Audience, string UpdatedBy, Instant UpdatedAt);

/// <summary>
/// The firm's saved audiences: named criteria to reuse ("A and B clients"). Names are matched without regard to case.
/// Saving under an existing name replaces its criteria; campaigns that used it keep the copy they took.
/// </summary>
public sealed class SavedAudiences(EnsembleDb db, IClock clock)
{
    public async Task<List<SavedAudienceView>> ListAsync(CancellationToken cancellationToken = default) =>
        (await db.SavedAudiences.AsNoTracking().ToListAsync(cancellationToken))
            .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
            .Select(View)
            .ToList();

    public async Task<SavedAudienceView?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        await FindAsync(db, name, cancellationToken) is { } found ? View(found) : null;

    /// <summary>Saves criteria under a name (new, or replacing the criteria saved under it); every field at fault is named.</summary>
    public async Task<Result<SavedAudienceView>> SaveAsync(
        string? name, IReadOnlyList<string>? tiers, IReadOnlyList<string>? tags, IReadOnlyList<string>? accountTypes, IReadOnlyList<string>? stages,
        string actor, CancellationToken cancellationToken = default)
    {
        var problems = Check(name, tiers, tags, accountTypes, stages, out var filter);
        if (problems.Count > 0)
        {
            return Error.Invalid(string.Join(" ", problems.Select(p => p.ToString())));
        }

        db.ChangeTracker.Clear();
        db.Actor = actor;
        db.Operation = "save-audience";
        try
        {
            using var turn = await WriteGate.EnterAsync(db, cancellationToken);
            var existing = await FindAsync(db, name!, cancellationToken, tracked: true);
            var now = clock.GetCurrentInstant();
            if (existing is null)
            {
                existing = new SavedAudience(name!.Trim(), filter, actor, now);
                db.SavedAudiences.Add(existing);
            }
            else
            {
                existing.Change(filter, actor, now);
            }

            await db.SaveChangesAsync(cancellationToken);
            return View(existing);
        }
        catch (DbUpdateException)
        {
            return Error.Conflict($"Someone saved the audience \"{name}\" at the same moment; try again.");
        }
        finally
        {
            db.Operation = null;
            db.ChangeTracker.Clear();
        }
    }

    public async Task<Result<bool>> DeleteAsync(string name, string actor, CancellationToken cancellationToken = default)
    {
        db.ChangeTracker.Clear();
        db.Actor = actor;
        db.Operation = "delete-audience";
        try
        {
            using var turn = await WriteGate.EnterAsync(db, cancellationToken);
            var existing = await FindAsync(db, name, cancellationToken, tracked: true);
            if (existing is null)
            {
                return Error.NotFound($"There is no saved audience \"{name}\".");
            }

            db.SavedAudiences.Remove(existing);
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        finally
        {
            db.Operation = null;
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Every problem with a saved audience as typed.</summary>
    public static IReadOnlyList<CampaignProblem> Check(
        string? name, IReadOnlyList<string>? tiers, IReadOnlyList<string>? tags, IReadOnlyList<string>? accountTypes, IReadOnlyList<string>? stages, out AudienceFilter filter)
    {
        var problems = new List<CampaignProblem>();
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            problems.Add(new("name", "Name the audience, e.g. \"A and B clients\"."));
        }
        else if (trimmed.Length > SavedAudience.NameLength)
        {
            problems.Add(new("name", $"A name can be at most {SavedAudience.NameLength} characters."));
        }

        var (read, found) = AudienceFilter.Read(tiers, tags, accountTypes, stages);
        problems.AddRange(found);
        if (found.Count == 0 && read.IsEmpty)
        {
            problems.Add(new("audience", "Choose at least one of tiers, tags, account types or stages."));
        }

        filter = read;
        return problems;
    }

    internal static async Task<SavedAudience?> FindAsync(EnsembleDb db, string name, CancellationToken cancellationToken, bool tracked = false)
    {
        var wanted = name.Trim();
        var query = tracked ? db.SavedAudiences : db.SavedAudiences.AsNoTracking();

        // A firm has a handful of saved audiences: matching names without regard to case in memory works on both databases.
        return (await query.ToListAsync(cancellationToken)).FirstOrDefault(a => string.Equals(a.Name, wanted, StringComparison.OrdinalIgnoreCase));
    }

    private static SavedAudienceView View(SavedAudience a) => new(a.Name, AudienceView.Of(a.Filter, null), a.UpdatedBy, a.UpdatedAt);
}
