using System.Globalization;
using CsvHelper;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Storage.Reports;

/// <summary>
/// Writes work reports as CSV for spreadsheets: a header row in plain words, ISO dates, durations in
/// hours to one decimal, and invariant formatting so the file reads the same on every machine.
/// </summary>
public static class ReportCsv
{
    private const string Unassigned = "(unassigned)";
    private static readonly LocalDatePattern Date = LocalDatePattern.Iso;

    public static void WriteOverdue(TextWriter writer, IEnumerable<OverdueRow> rows) =>
        Write(writer, ["Role", "Person", "Overdue tasks", "Oldest due date"], rows, r =>
            [r.RoleKey, r.StaffName ?? Unassigned, Count(r.Count), Date.Format(r.OldestDueOn)]);

    /// <summary>Activation instants are written as dates in <paramref name="zone"/>, the firm's calendar.</summary>
    public static void WriteOpenBySteps(TextWriter writer, IEnumerable<StepBacklogRow> rows, DateTimeZone zone) =>
        Write(writer, ["Process", "Process name", "Step", "Step title", "Open tasks", "Overdue tasks", "Waiting since"], rows, r =>
            [r.TemplateKey, r.TemplateName, r.StepKey, r.StepTitle, Count(r.Count), Count(r.OverdueCount), Date.Format(r.OldestActivatedAt.InZone(zone).Date)]);

    public static void WriteTimePerStep(TextWriter writer, IEnumerable<StepTimeRow> rows) =>
        Write(writer, ["Process", "Step", "Step title", "Done tasks", "Median hours", "90th percentile hours"], rows, r =>
            [r.TemplateKey, r.StepKey, r.StepTitle, Count(r.Count), Hours(r.Median), Hours(r.P90)]);

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Hours(Duration d) => d.TotalHours.ToString("0.0", CultureInfo.InvariantCulture);

    private static void Write<T>(TextWriter writer, string[] header, IEnumerable<T> rows, Func<T, string[]> fields)
    {
        // The caller owns the writer (a file, a response body), so it stays open.
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var name in header)
        {
            csv.WriteField(name);
        }

        csv.NextRecord();
        foreach (var row in rows)
        {
            foreach (var field in fields(row))
            {
                csv.WriteField(field);
            }

            csv.NextRecord();
        }

        csv.Flush();
    }
}
