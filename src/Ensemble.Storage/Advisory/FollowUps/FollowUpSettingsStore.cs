using System.Text.Json;
using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Advisory.FollowUps;

/// <summary>The firm's follow-up settings as one JSON document (one row, id 1), so an edit is one audited change.</summary>
public sealed class FollowUpSettingsRow
{
    public int Id { get; init; } = 1;

    public required string Document { get; set; }

    public int Version { get; set; }
}

/// <summary>
/// Reads and saves the firm's follow-up settings (the noise budget, the report's windows and the quadrant playbooks).
/// A firm that never edited them runs on <see cref="FollowUpSettings.Default"/>; settings out of range, and playbooks
/// naming a role the firm does not have, are refused, naming the field.
/// </summary>
public static class FollowUpSettingsStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<FollowUpSettings> GetAsync(EnsembleDb db, CancellationToken cancellationToken = default)
    {
        var row = await db.FollowUpSettingsRows().AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return row is null ? FollowUpSettings.Default : JsonSerializer.Deserialize<FollowUpSettings>(row.Document, Json) ?? FollowUpSettings.Default;
    }

    /// <summary>Every problem with the settings, each naming its field, with playbook caller roles checked against the firm's roles as they are now.</summary>
    public static async Task<IReadOnlyList<(string Field, string Message)>> CheckAsync(EnsembleDb db, FollowUpSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var roles = await db.Roles.AsNoTracking().Select(r => r.Key).ToListAsync(cancellationToken);
        return settings.Check(roles);
    }

    /// <summary>
    /// The settings with playbook changes written in words applied (see <see cref="PlaybookWords.Apply"/>), and every
    /// problem with the result — unknown words and checks alike, each naming its field. Nothing is saved.
    /// </summary>
    public static async Task<(FollowUpSettings Settings, IReadOnlyList<(string Field, string Message)> Problems)> WithPlaybooksAsync(
        EnsembleDb db, FollowUpSettings settings, IReadOnlyDictionary<string, PlaybookWords?>? changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (playbooks, unreadable) = PlaybookWords.Apply(settings.Playbooks, changes);
        var wanted = settings with { Playbooks = playbooks };
        return (wanted, [.. unreadable, .. await CheckAsync(db, wanted, cancellationToken)]);
    }

    /// <summary>Checks and saves the settings (audited as <paramref name="actor"/>); an invalid value is refused as "field: message" and nothing changes.</summary>
    public static async Task<Result<FollowUpSettings>> SaveAsync(EnsembleDb db, FollowUpSettings settings, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = await CheckAsync(db, settings, cancellationToken);
        if (problems.Count > 0)
        {
            return Error.Invalid(string.Join(Environment.NewLine, problems.Select(p => $"{p.Field}: {p.Message}")));
        }

        db.ChangeTracker.Clear();
        db.Actor = actor;
        db.Operation = "set-follow-up-settings";
        var document = JsonSerializer.Serialize(settings, Json);
        var row = await db.FollowUpSettingsRows().FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            db.FollowUpSettingsRows().Add(new FollowUpSettingsRow { Document = document, Version = 1 });
        }
        else if (row.Document != document)
        {
            row.Document = document;
            row.Version++;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || Work.Conflicts.IsUniqueViolation(ex))
        {
            return Error.Conflict("Someone else changed the follow-up settings at the same moment; read them again and retry.");
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.Operation = null;
        }

        return settings;
    }
}
