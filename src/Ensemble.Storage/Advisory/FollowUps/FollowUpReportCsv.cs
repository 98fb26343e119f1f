using System.Globalization;
using CsvHelper;

namespace Ensemble.Storage.Advisory.FollowUps;

/// <summary>The optimisation report as CSV: one row per alert type and channel, rates as percentages, invariant formatting.</summary>
public static class FollowUpReportCsv
{
    public static void Write(TextWriter writer, FollowUpReportView report)
    {
        ArgumentNullException.ThrowIfNull(report);

        // The caller owns the writer (a file, a response body), so it stays open.
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var name in new[]
        {
            "Alert type", "Title", "Variant", "Channel", "Raised", "Measured", "Responded", "Response rate %", "Resolved", "Resolved by themselves",
            "Median days to resolution", "Re-opened", "Re-open rate %", "Suggestion",
        })
        {
            csv.WriteField(name);
        }

        csv.NextRecord();
        var suggested = report.Suggestions.ToLookup(s => s.Type);
        foreach (var r in report.Rows)
        {
            foreach (var field in new[]
            {
                r.Type, r.Title, r.VariantLabel, r.Channel, Count(r.Raised), Count(r.Measured), Count(r.Responded), Percent(r.ResponseRate), Count(r.Resolved),
                Count(r.ResolvedByThemselves), r.MedianDaysToResolution?.ToString("0.0", CultureInfo.InvariantCulture) ?? "", Count(r.Reopened), Percent(r.ReopenRate),
                string.Join(" ", suggested[r.Type].Select(s => $"Move to urgency {s.ToUrgency:0}, sensitivity {s.ToSensitivity:0}: {s.Why}")),
            })
            {
                csv.WriteField(field);
            }

            csv.NextRecord();
        }

        csv.Flush();
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double? share) => share is { } s ? (s * 100).ToString("0.0", CultureInfo.InvariantCulture) : "";
}
