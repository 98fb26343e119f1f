using Ensemble.Processes.Templates;
using Ensemble.Storage;
using Ensemble.Storage.Library;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>The process library: templates, their versions, diagrams and manuals; starting firm-level processes.</summary>
internal static class LibraryApi
{
    public sealed record TemplateLine(string Key, string Name, TemplateCategory Category, int Version, Instant CreatedAt, string CreatedBy);

    public sealed record ImportRequest(string? Name, string? Yaml);

    public static void Map(RouteGroupBuilder api)
    {
        var templates = api.MapGroup("/templates").WithTags("Library");
        templates.MapGet("/", List).Allow(AccessKind.AnyStaff).WithSummary("The latest version of every template.");
        templates.MapPost("/", Import).Allow(AccessKind.ManagePractice).WithSummary("Add or change a template from YAML; a change is a new version.");
        templates.MapGet("/{key}", Show).Allow(AccessKind.AnyStaff).WithSummary("A template as parsed (latest, or ?version=N).");
        templates.MapGet("/{key}/yaml", Yaml).Allow(AccessKind.AnyStaff).WithSummary("A template's YAML source.");
        templates.MapGet("/{key}/diagram.svg", Diagram).Allow(AccessKind.AnyStaff).WithSummary("The template drawn as swimlanes by role.");
        templates.MapGet("/{key}/manual.md", Manual).Allow(AccessKind.AnyStaff).WithSummary("The template's manual as Markdown.");
        templates.MapGet("/{key}/versions", Versions).Allow(AccessKind.AnyStaff).WithSummary("Versions and how many processes run on each.");
        templates.MapPost("/{key}/start", StartForFirm).Allow(AccessKind.ManagePractice).WithSummary("Start a firm-level process (practice management).");
    }

    private static async Task<IResult> List(EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var versions = await new TemplateLibrary(db, clock).ListAsync(cancellationToken);
        return Results.Ok(versions.Select(v => new TemplateLine(v.Key, v.Name, v.Category, v.Number, v.CreatedAt, v.CreatedBy)).ToList());
    }

    private static async Task<IResult> Import(ImportRequest? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.Yaml))
        {
            return Problems.Invalid(("yaml", "Send the template's YAML text."));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var imported = await new TemplateLibrary(db, clock).ImportTextsAsync([(body.Name ?? "template.yaml", body.Yaml)], caller.Handle, cancellationToken);
        return Problems.Of(imported, Results.Ok);
    }

    private static async Task<IResult> Show(string key, int? version, EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        Problems.Of(await new TemplateLibrary(db, clock).ShowAsync(key, version, cancellationToken), found => Results.Ok(found.Template));

    private static async Task<IResult> Yaml(string key, int? version, EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        Problems.Of(await new TemplateLibrary(db, clock).ShowAsync(key, version, cancellationToken), found => Results.Text(found.Version.Yaml, "application/yaml; charset=utf-8"));

    private static async Task<IResult> Diagram(string key, int? version, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var roles = await RoleNamesAsync(db, cancellationToken);
        return Problems.Of(await new TemplateLibrary(db, clock).ShowAsync(key, version, cancellationToken),
            found => Results.Text(SwimlaneDiagram.ToSvg(found.Template, roles), "image/svg+xml; charset=utf-8"));
    }

    private static async Task<IResult> Manual(string key, int? version, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var roles = await RoleNamesAsync(db, cancellationToken);
        return Problems.Of(await new TemplateLibrary(db, clock).ShowAsync(key, version, cancellationToken),
            found => Results.Text(TemplateManual.ToMarkdown(found.Template, roles), "text/markdown; charset=utf-8"));
    }

    private static async Task<IResult> Versions(string key, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var usage = await new TemplateLibrary(db, clock).UsageAsync(key, cancellationToken);
        return usage.Count == 0 ? Results.NotFound() : Results.Ok(usage);
    }

    private static async Task<IResult> StartForFirm(string key, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var started = await new WorkService(db, clock).StartAsync(key, null, new Dictionary<string, LocalDate>(), caller.Handle, cancellationToken: cancellationToken);
        return Problems.Of(started, t => Results.Created($"/api/processes/{t.Instance.Id.Value}", new { process = t.Instance.Id.Value, t.Instance.TemplateName }));
    }

    public static async Task<Dictionary<string, string>> RoleNamesAsync(EnsembleDb db, CancellationToken cancellationToken) =>
        await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Key, r => r.Name, cancellationToken);
}
