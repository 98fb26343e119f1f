using Ensemble.Storage;
using Ensemble.Storage.Reports;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>Where work gets stuck: overdue by role and person, open work by step, time spent per step. Each also as CSV.</summary>
internal static class ReportsApi
{
    public const int DefaultDays = 90;

    public static void Map(RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports");
        reports.MapGet("/overdue", Overdue).Allow(AccessKind.ManagePractice).WithSummary("Overdue work by role and person.");
        reports.MapGet("/overdue.csv", OverdueCsv).Allow(AccessKind.ManagePractice).WithSummary("Overdue work by role and person, as CSV.");
        reports.MapGet("/open-by-step", OpenBySteps).Allow(AccessKind.ManagePractice).WithSummary("Open work by process step: where work piles up.");
        reports.MapGet("/open-by-step.csv", OpenByStepsCsv).Allow(AccessKind.ManagePractice).WithSummary("Open work by process step, as CSV.");
        reports.MapGet("/time-per-step", TimePerStep).Allow(AccessKind.ManagePractice).WithSummary("Median and 90th percentile time per step over the last ?days (default 90).");
        reports.MapGet("/time-per-step.csv", TimePerStepCsv).Allow(AccessKind.ManagePractice).WithSummary("Time per step, as CSV.");
    }

    private static async Task<IResult> Overdue(EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        Results.Ok(await new WorkReports(db).OverdueAsync(await TodayAsync(db, clock, cancellationToken), cancellationToken));

    private static async Task<IResult> OverdueCsv(EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var rows = await new WorkReports(db).OverdueAsync(await TodayAsync(db, clock, cancellationToken), cancellationToken);
        return Csv("overdue-by-person.csv", w => ReportCsv.WriteOverdue(w, rows));
    }

    private static async Task<IResult> OpenBySteps(EnsembleDb db, CancellationToken cancellationToken) =>
        Results.Ok(await new WorkReports(db).OpenByStepAsync(cancellationToken));

    private static async Task<IResult> OpenByStepsCsv(EnsembleDb db, CancellationToken cancellationToken)
    {
        var rows = await new WorkReports(db).OpenByStepAsync(cancellationToken);
        var zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
        return Csv("open-work-by-step.csv", w => ReportCsv.WriteOpenBySteps(w, rows, zone));
    }

    private static async Task<IResult> TimePerStep(int? days, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (CheckDays(days) is { } invalid)
        {
            return invalid;
        }

        return Results.Ok(await new WorkReports(db).TimePerStepAsync(Since(clock, days), cancellationToken));
    }

    private static async Task<IResult> TimePerStepCsv(int? days, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (CheckDays(days) is { } invalid)
        {
            return invalid;
        }

        var rows = await new WorkReports(db).TimePerStepAsync(Since(clock, days), cancellationToken);
        return Csv("time-per-step.csv", w => ReportCsv.WriteTimePerStep(w, rows));
    }

    private static IResult? CheckDays(int? days) =>
        days is < 1 or > 3660 ? Problems.Invalid(("days", "days must be between 1 and 3660.")) : null;

    private static Instant Since(IClock clock, int? days) => clock.GetCurrentInstant() - Duration.FromDays(days ?? DefaultDays);

    private static async Task<LocalDate> TodayAsync(EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);

    private static IResult Csv(string fileName, Action<TextWriter> write)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        write(writer);
        return Results.File(System.Text.Encoding.UTF8.GetBytes(writer.ToString()), "text/csv; charset=utf-8", fileName);
    }
}
