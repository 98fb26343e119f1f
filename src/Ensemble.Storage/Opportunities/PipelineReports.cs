using Ensemble.Common;
using Ensemble.Opportunities;
using Ensemble.Storage.Reports;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Opportunities;

/// <summary>How many opportunities stand at a stage and what they are estimated to be worth.</summary>
public sealed record StageValueRow(OpportunityStage Stage, int Count, decimal EstimatedAssets, decimal EstimatedRevenue);

/// <summary>
/// From one stage to the next: of the opportunities that were ever at <see cref="From"/>, how many went on to
/// <see cref="To"/> or a later stage (skipping a stage still counts as getting past it) and how many were won.
/// </summary>
public sealed record ConversionRow(OpportunityStage From, OpportunityStage To, int Reached, int Advanced, int Won)
{
    public double? AdvancedShare => Reached == 0 ? null : Math.Round((double)Advanced / Reached, 4);

    public double? WonShare => Reached == 0 ? null : Math.Round((double)Won / Reached, 4);
}

/// <summary>How long opportunities stayed in a stage before moving on: stays that ended in the period.</summary>
public sealed record StageTimeRow(OpportunityStage Stage, int Count, Duration? Median, Duration? P90)
{
    public double? MedianDays => Median is { } d ? Math.Round(d.TotalDays, 1) : null;

    public double? P90Days => P90 is { } d ? Math.Round(d.TotalDays, 1) : null;
}

/// <summary>
/// The pipeline report for the days <see cref="From"/> to <see cref="To"/> (inclusive, in the firm's time zone).
/// <see cref="Value"/> counts the open stages as they stand now, and Won and Lost as closed in the period;
/// <see cref="Conversion"/> follows the opportunities opened in the period; <see cref="TimeInStage"/> measures the
/// stays in a stage that ended in the period.
/// </summary>
public sealed record PipelineReport(
    LocalDate From,
    LocalDate To,
    IReadOnlyList<StageValueRow> Value,
    IReadOnlyList<ConversionRow> Conversion,
    IReadOnlyList<StageTimeRow> TimeInStage);

internal sealed record ValueLine(OpportunityStage Stage, Money? EstimatedAssets, Money? EstimatedRevenue);

/// <summary>
/// Value by stage, conversion between consecutive stages and time in stage. The pipeline is small next to the
/// work tables (hundreds to thousands of rows), so rows are filtered in the database and summed in memory;
/// percentiles use the nearest-rank method, as the work reports do.
/// </summary>
public sealed class PipelineReports(EnsembleDb db)
{
    /// <summary>The default period: the year up to and including today.</summary>
    public static (LocalDate From, LocalDate To) DefaultPeriod(LocalDate today) => (today.PlusYears(-1).PlusDays(1), today);

    /// <summary>The report for <paramref name="from"/>..<paramref name="to"/>; <paramref name="withinHouseholds"/> narrows it to those households.</summary>
    public async Task<PipelineReport> BuildAsync(LocalDate from, LocalDate to, IReadOnlyCollection<long>? withinHouseholds = null, CancellationToken cancellationToken = default)
    {
        var zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
        var start = from.AtStartOfDayInZone(zone).ToInstant();
        var end = to.PlusDays(1).AtStartOfDayInZone(zone).ToInstant();
        var mine = Pipeline.Within(db.Opportunities.AsNoTracking(), withinHouseholds);

        var value = await mine
            .Where(o => (o.Stage != OpportunityStage.Won && o.Stage != OpportunityStage.Lost) || (o.ClosedAt >= start && o.ClosedAt < end))
            .Select(o => new ValueLine(o.Stage, o.EstimatedAssets, o.EstimatedRevenue))
            .ToListAsync(cancellationToken);

        var cohort = await mine.Where(o => o.OpenedAt >= start && o.OpenedAt < end).Include(o => o.History).AsSplitQuery().ToListAsync(cancellationToken);

        var stays = await mine.SelectMany(o => o.History)
            .Where(c => c.At >= start && c.At < end)
            .Select(c => new { c.From, c.At, c.EnteredFromAt })
            .ToListAsync(cancellationToken);

        return new PipelineReport(
            from, to,
            ValueByStage(value, OpportunityStages.All),
            Conversion(cohort.Select(o => (o.StagesReached(), o.Stage))),
            TimeInStage(stays.Select(s => (s.From, s.At - s.EnteredFromAt))));
    }

    internal static List<StageValueRow> ValueByStage(IEnumerable<ValueLine> lines, IReadOnlyList<OpportunityStage> stages)
    {
        var sums = stages.ToDictionary(s => s, _ => (Count: 0, Assets: 0m, Revenue: 0m));
        foreach (var line in lines)
        {
            var (count, assets, revenue) = sums[line.Stage];
            sums[line.Stage] = (count + 1, assets + (line.EstimatedAssets?.Amount ?? 0m), revenue + (line.EstimatedRevenue?.Amount ?? 0m));
        }

        return stages.Select(s => new StageValueRow(s, sums[s].Count, sums[s].Assets, sums[s].Revenue)).ToList();
    }

    /// <summary>One row per open stage and the stage after it; "reached" means the opportunity was at the stage at some point.</summary>
    internal static List<ConversionRow> Conversion(IEnumerable<(IReadOnlyList<OpportunityStage> Reached, OpportunityStage Now)> opportunities)
    {
        var list = opportunities.ToList();
        return OpportunityStages.Open.Select(stage =>
        {
            var next = OpportunityStages.Next(stage)!.Value;
            var at = list.Where(o => o.Reached.Contains(stage)).ToList();
            var advanced = at.Count(o => o.Reached.Any(r => OpportunityStages.Rank(r) >= OpportunityStages.Rank(next)));
            var won = at.Count(o => o.Now == OpportunityStage.Won);
            return new ConversionRow(stage, next, at.Count, advanced, won);
        }).ToList();
    }

    internal static List<StageTimeRow> TimeInStage(IEnumerable<(OpportunityStage Stage, Duration Length)> stays)
    {
        var byStage = stays.GroupBy(s => s.Stage).ToDictionary(g => g.Key, g => g.Select(s => s.Length).Order().ToList());
        return OpportunityStages.Open.Select(stage => byStage.TryGetValue(stage, out var sorted)
                ? new StageTimeRow(stage, sorted.Count, WorkReports.NearestRank(sorted, 50), WorkReports.NearestRank(sorted, 90))
                : new StageTimeRow(stage, 0, null, null))
            .ToList();
    }
}

/// <summary>
/// The pipeline report as one CSV table, a row per stage: its value, its conversion to the next stage and the time
/// spent in it. Won and Lost rows leave conversion and time empty. Plain header words, invariant numbers.
/// </summary>
public static class PipelineCsv
{
    public static void Write(TextWriter writer, PipelineReport report)
    {
        using var csv = new CsvHelper.CsvWriter(writer, System.Globalization.CultureInfo.InvariantCulture, leaveOpen: true);
        string[] header =
        [
            "Stage", "Opportunities", "Estimated assets", "Estimated yearly revenue", "Reached", "Went on to", "Went on", "Went on share",
            "Won", "Won share", "Stays ended", "Median days", "90th percentile days",
        ];
        foreach (var name in header)
        {
            csv.WriteField(name);
        }

        csv.NextRecord();
        foreach (var value in report.Value)
        {
            var conversion = report.Conversion.FirstOrDefault(c => c.From == value.Stage);
            var time = report.TimeInStage.FirstOrDefault(t => t.Stage == value.Stage);
            string[] fields =
            [
                OpportunityStages.Key(value.Stage), Number(value.Count), Amount(value.EstimatedAssets), Amount(value.EstimatedRevenue),
                conversion is null ? "" : Number(conversion.Reached),
                conversion is null ? "" : OpportunityStages.Key(conversion.To),
                conversion is null ? "" : Number(conversion.Advanced),
                Share(conversion?.AdvancedShare),
                conversion is null ? "" : Number(conversion.Won),
                Share(conversion?.WonShare),
                time is null ? "" : Number(time.Count),
                Days(time?.MedianDays),
                Days(time?.P90Days),
            ];
            foreach (var field in fields)
            {
                csv.WriteField(field);
            }

            csv.NextRecord();
        }

        csv.Flush();
    }

    /// <summary>A file name that carries the period, e.g. pipeline-2025-12-01-to-2026-11-30.csv.</summary>
    public static string FileName(PipelineReport report) =>
        $"pipeline-{report.From:uuuu-MM-dd}-to-{report.To:uuuu-MM-dd}.csv";

    private static string Number(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Amount(decimal amount) => amount.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    private static string Share(double? share) => share is { } s ? s.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) : "";

    private static string Days(double? days) => days is { } d ? d.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "";
}
