using Ensemble.Communications;
using Ensemble.Storage;
using Ensemble.Storage.Communications.Delivery;
using Ensemble.Web.Access;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>
/// The outbox for operations: counts and messages by status, reports back from the mail system (bounces, confirmed
/// deliveries — for a provider's webhook with an API token), and the day's letter print batches.
/// </summary>
internal static class OutboxApi
{
    public sealed record DeliveryReportRequest(string? MessageId, string? Outcome, string? Reason);

    public static void Map(RouteGroupBuilder api)
    {
        var outbox = api.MapGroup("/outbox").WithTags("Outbox");
        outbox.MapGet("/", Status).Allow(AccessKind.ManagePractice).WithSummary("How many messages are queued, sending, sent, delivered, failed and bounced.");
        outbox.MapGet("/messages", List).Allow(AccessKind.ManagePractice)
            .WithSummary("Outbox messages newest first; ?status (queued, sending, sent, delivered, failed, bounced), ?limit (default 50, at most 1,000).");
        outbox.MapPost("/reports", Report).Allow(AccessKind.ManagePractice)
            .WithSummary("What the mail system reported: {\"messageId\": \"…\", \"outcome\": \"bounced\"|\"delivered\", \"reason\": \"550 5.1.1 …\"}. "
                + "A bounce marks the message and gives the household's client service associate a task; a repeat does nothing new. Audited.");
        var letters = api.MapGroup("/letters").WithTags("Outbox");
        letters.MapGet("/", Batches).Allow(AccessKind.ManagePractice).WithSummary("Letter print batches, newest first, with how many letters each holds.");
        letters.MapGet("/{batch}", Download).Allow(AccessKind.ManagePractice)
            .WithSummary("A print batch as a ZIP: one print-ready HTML document per letter and manifest.csv for the mail room.");
    }

    private static async Task<IResult> Status(EnsembleDb db, CancellationToken cancellationToken) =>
        Results.Ok((await new OutboxViews(db).CountsAsync(null, cancellationToken)).ToDictionary(p => p.Key.Name(), p => p.Value));

    private static async Task<IResult> List(string? status, int? limit, EnsembleDb db, CancellationToken cancellationToken)
    {
        DeliveryStatus? filter = null;
        if (status is not null)
        {
            filter = DeliveryStatuses.Parse(status);
            if (filter is null)
            {
                return Problems.Invalid(("status", $"\"{status}\" is not one of queued, sending, sent, delivered, failed, bounced."));
            }
        }

        if (limit is < 1 or > 1_000)
        {
            return Problems.Invalid(("limit", "Give a limit from 1 to 1,000."));
        }

        return Results.Ok(await new OutboxViews(db).ListAsync(filter, limit ?? 50, cancellationToken));
    }

    private static async Task<IResult> Report(DeliveryReportRequest? request, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.MessageId))
        {
            return Problems.Invalid(("messageId", "Give the Message-ID the report refers to."));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var reports = new DeliveryReports(db, clock);
        return request.Outcome?.Trim().ToLowerInvariant() switch
        {
            "bounced" => Problems.Of(await reports.BouncedAsync(request.MessageId, request.Reason ?? "", caller.Handle, cancellationToken), m => Results.Ok(Line(m))),
            "delivered" => Problems.Of(await reports.DeliveredAsync(request.MessageId, caller.Handle, cancellationToken), m => Results.Ok(Line(m))),
            _ => Problems.Invalid(("outcome", "Say \"bounced\" or \"delivered\".")),
        };
    }

    private static async Task<IResult> Batches(EnsembleDb db, CancellationToken cancellationToken) =>
        Results.Ok((await LetterBatches.ListAsync(db, cancellationToken)).Select(b => new { b.Batch, b.Letters }));

    private static async Task<IResult> Download(string batch, EnsembleDb db, CancellationToken cancellationToken)
    {
        var zip = new MemoryStream();
        if (!await LetterBatches.WriteZipAsync(db, batch, zip, cancellationToken))
        {
            return Problems.From(Ensemble.Common.Error.NotFound($"There is no print batch {batch}."));
        }

        zip.Position = 0;
        return Results.File(zip, "application/zip", batch + ".zip");
    }

    private static object Line(OutboxMessage m) => new { m.Id, m.MessageId, Status = m.Status.Name(), m.RecipientName, m.Subject, m.LastError };
}
