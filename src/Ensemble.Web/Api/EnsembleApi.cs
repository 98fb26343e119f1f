using Ensemble.Storage;
using Ensemble.Web.Access;

namespace Ensemble.Web.Api;

/// <summary>The REST API under /api: everything the CLI can do, with the caller's access.</summary>
internal static class EnsembleApi
{
    public static void MapEnsembleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/health", Health).Allow(AccessKind.Anonymous).WithTags("Health").WithSummary("Is the app up and its database reachable?");
        api.MapGet("/me", Me).Allow(AccessKind.AnyStaff).WithTags("Staff").WithSummary("Who I am and what I may see.");
        TasksApi.Map(api);
        HouseholdsApi.Map(api);
        PracticeApi.Map(api);
        LibraryApi.Map(api);
        ProcessesApi.Map(api);
        AuditApi.Map(api);
        TokensApi.Map(api);
        ReportsApi.Map(api);
        CapacityApi.Map(api);
        FirmApi.Map(api);
        NotificationsApi.Map(api);
        CalendarFeedApi.Map(app, api);
        ContactsApi.Map(api);
        OpportunitiesApi.Map(api);
        TiersApi.Map(api);
        CalendarApi.Map(api);
        SourcesApi.Map(api);
        AlertsApi.Map(api);
        AdvisoryApi.Map(api);
        FollowUpsApi.Map(api);
        OutboxApi.Map(api);
        CampaignsApi.Map(api);
        ArchiveApi.Map(api);
        FormAdvApi.Map(api);
        NotificationPreferencesApi.Map(api);
    }

    private static async Task<IResult> Health(EnsembleDb db, CancellationToken cancellationToken) =>
        await EnsembleDatabase.HasFirmAsync(db, cancellationToken)
            ? Results.Ok(new { status = "ok", database = db.Provider.ToString() })
            : Results.Problem("No firm in the database.", statusCode: StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> Me(CurrentCaller callers, CancellationToken cancellationToken) =>
        Results.Ok(await callers.RequireAsync(cancellationToken));
}
