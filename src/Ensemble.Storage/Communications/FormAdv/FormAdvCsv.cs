using System.Globalization;
using CsvHelper;
using Ensemble.Communications.FormAdv;

namespace Ensemble.Storage.Communications.FormAdv;

/// <summary>The Form ADV delivery status as CSV: one row per client household, dates as yyyy-MM-dd, invariant formatting.</summary>
public static class FormAdvCsv
{
    public static void Write(TextWriter writer, FormAdvReport report)
    {
        ArgumentNullException.ThrowIfNull(report);

        // The caller owns the writer (a file, a response body), so it stays open.
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var name in new[]
        {
            "Fiscal year", "Fiscal year end", "Deadline", "Household", "Name", "Status", "Delivered on", "Channel", "Recipient", "Archive id", "In outbox", "Last failure", "Do not contact",
        })
        {
            csv.WriteField(name);
        }

        csv.NextRecord();
        foreach (var line in report.Lines)
        {
            foreach (var field in new[]
            {
                report.Year.FiscalYear.ToString(CultureInfo.InvariantCulture), Day(report.Year.FiscalYearEnd), Day(report.Year.Deadline), line.HouseholdKey, line.HouseholdName,
                line.State.Name(), line.DeliveredOn is { } on ? Day(on) : "", line.Channel ?? "", line.Recipient ?? "", line.MessageId?.ToString(CultureInfo.InvariantCulture) ?? "",
                line.InOutbox.ToString(CultureInfo.InvariantCulture), line.LastFailure ?? "", line.DoNotContact ? "yes" : "",
            })
            {
                csv.WriteField(field);
            }

            csv.NextRecord();
        }

        csv.Flush();
    }

    private static string Day(NodaTime.LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
