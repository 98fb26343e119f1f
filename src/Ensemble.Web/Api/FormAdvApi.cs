using Ensemble.Storage;
using Ensemble.Storage.Communications.FormAdv;
using Ensemble.Web.Access;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>Form ADV delivery: per client household, whether this fiscal year's delivery went out, when and how, and who is still owed one.</summary>
internal static class FormAdvApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var formAdv = api.MapGroup("/form-adv").WithTags("Form ADV");
        formAdv.MapGet("/", Status).Allow(AccessKind.ManagePractice)
            .WithSummary("The fiscal year's Form ADV deliveries (?year, default the latest ended): the deadline (fiscal year end + 120 days), counts, and per client household delivered, delivered late, owed or overdue. ?outstanding=true lists only those still owed.");
        formAdv.MapGet("/status.csv", Csv).Allow(AccessKind.ManagePractice)
            .WithSummary("The same as CSV, one row per client household; ?outstanding=true for those still owed.");
    }

    private static async Task<IResult> Status(int? year, bool? outstanding, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var result = await new FormAdvTracker(db, clock).StatusAsync(year, outstanding ?? false, cancellationToken);
        return result.IsSuccess ? Results.Ok(result.Value) : Problems.Invalid(("year", result.Error!.Message["year: ".Length..]));
    }

    private static async Task<IResult> Csv(int? year, bool? outstanding, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var result = await new FormAdvTracker(db, clock).StatusAsync(year, outstanding ?? false, cancellationToken);
        if (!result.IsSuccess)
        {
            return Problems.Invalid(("year", result.Error!.Message["year: ".Length..]));
        }

        await using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        FormAdvCsv.Write(writer, result.Value);
        return Results.File(System.Text.Encoding.UTF8.GetBytes(writer.ToString()), "text/csv; charset=utf-8", $"form-adv-{result.Value.Year.FiscalYear}.csv");
    }
}
