using System.Text.Json;
using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.Audit;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Api;

/// <summary>A household's history in words, from its audit events.</summary>
internal static class Timeline
{
    private static readonly Dictionary<string, string> Entities = new(StringComparer.Ordinal)
    {
        ["Household"] = "household",
        ["Member"] = "member",
        ["Account"] = "account",
        ["Policy"] = "policy",
        ["TeamAssignment"] = "service team",
        ["ProcessInstance"] = "process",
        ["WorkTask"] = "task",
        ["HouseholdTier"] = "tier",
        ["Touchpoint"] = "meeting",
        ["Opportunity"] = "opportunity",
        ["Discrepancy"] = "discrepancy between sources",
        ["Alert"] = "alert",
        ["AlertFollowUp"] = "follow-up",
        ["AgendaItem"] = "agenda point",
        ["OutboxMessage"] = "message",
    };

    public static async Task<List<TimelineEntry>> ReadAsync(EnsembleDb db, HouseholdId householdId, int limit, CancellationToken cancellationToken)
    {
        var rows = await new AuditTrail(db).RecentAsync(householdId.Value, null, null, limit, cancellationToken);

        // An update records only what changed; name tasks by their title all the same.
        var taskIds = rows.Where(r => r.EntityType == "WorkTask").Select(r => long.TryParse(r.EntityId, out var id) ? new TaskId(id) : default).Distinct().ToList();
        var titles = await db.Tasks.AsNoTracking().Where(t => taskIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), t => t.Title, cancellationToken);
        return rows.Select(r => new TimelineEntry(r.Sequence, r.At, r.Actor, Describe(r, r.EntityType == "WorkTask" ? titles.GetValueOrDefault(r.EntityId) : null), r.EntityType, r.Operation)).ToList();
    }

    private static string Describe(AuditRow row, string? knownTitle)
    {
        var entity = Entities.GetValueOrDefault(row.EntityType, row.EntityType);
        var title = TitleOf(row.After) ?? TitleOf(row.Before) ?? knownTitle;
        var subject = title is null ? $"{entity} {row.EntityId}" : $"{entity} “{title}”";
        var verb = row.Operation switch
        {
            "complete-task" when row.EntityType == "WorkTask" && row.After?.Contains("\"Done\"", StringComparison.Ordinal) == true => "completed",
            "skip-task" when row.EntityType == "WorkTask" && row.After?.Contains("\"Skipped\"", StringComparison.Ordinal) == true => "skipped",
            _ => row.Action,
        };
        var why = row.Operation is null ? "" : $" ({row.Operation.Replace('-', ' ')})";
        return $"{char.ToUpperInvariant(verb[0])}{verb[1..]} {subject}{why}";
    }

    private static string? TitleOf(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        foreach (var name in (string[])["Title", "TemplateName", "Name", "Subject", "TypeKey", "Fact", "Type"])
        {
            if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }
        }

        return null;
    }
}
