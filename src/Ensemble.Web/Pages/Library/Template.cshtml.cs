using Ensemble.Common;
using Ensemble.Processes.Templates;
using Ensemble.Storage.Access;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime.Text;
using Ensemble.Storage;
using Ensemble.Storage.Library;
using Ensemble.Web.Access;
using Ensemble.Web.Api;
using Markdig;
using Markdig.Syntax;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.Library;

/// <summary>One template: its diagram, its manual as a readable page, and its versions.</summary>
[Access(AccessKind.AnyStaff)]
public sealed class TemplateModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    // Raw HTML in template text is shown as text, never run.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseTaskLists().DisableHtml().Build();

    public ProcessTemplate Template { get; private set; } = null!;

    public TemplateVersion Version { get; private set; } = null!;

    public IHtmlContent Manual { get; private set; } = HtmlString.Empty;

    public IReadOnlyList<VersionUsage> Versions { get; private set; } = [];

    public bool CanStartForFirm { get; private set; }

    [TempData]
    public string? Message { get; set; }

    /// <summary>Starts the template for the firm (practice work) or for a household the caller may see.</summary>
    public async Task<IActionResult> OnPostStartAsync(string key, string? household, string? meetingDate, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        HouseholdId? target = null;
        if (!string.IsNullOrWhiteSpace(household))
        {
            var found = await db.Households.AsNoTracking().Where(h => h.Key == household.Trim()).Select(h => (HouseholdId?)h.Id).SingleOrDefaultAsync(cancellationToken);
            if (found is null || !await new HouseholdAccess(db).CanSeeAsync(caller, found.Value, cancellationToken))
            {
                Message = $"There is no household {household.Trim()} on your teams.";
                return RedirectToPage(new { key });
            }

            target = found;
        }
        else if (!caller.SeesWholeFirm)
        {
            Message = "Only roles that see the whole firm start practice work; name a household instead.";
            return RedirectToPage(new { key });
        }

        var (anchors, problem) = await StartAnchors.ForAsync(db, clock, key, meetingDate, cancellationToken);
        if (anchors is null)
        {
            Message = problem;
            return RedirectToPage(new { key });
        }

        var started = await new WorkService(db, clock).StartAsync(key, target, anchors, caller.Handle, cancellationToken: cancellationToken);
        Message = started.IsSuccess
            ? $"Started {started.Value.Instance.TemplateName}{(target is null ? " for the firm" : $" for {household!.Trim()}")}: {started.Value.Activated.Count} task(s) to do first."
            : started.Error!.Message;
        return RedirectToPage(new { key });
    }

    // The page has its own title, so the manual's headings move one level down.
    private static string ManualHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Min(heading.Level + 1, 6);
        }

        return document.ToHtml(Pipeline);
    }

    public async Task<IActionResult> OnGetAsync(string key, int? version, CancellationToken cancellationToken)
    {
        var library = new TemplateLibrary(db, clock);
        var found = await library.ShowAsync(key, version, cancellationToken);
        if (!found.IsSuccess)
        {
            return NotFound();
        }

        (Version, Template) = found.Value;
        var roles = await LibraryApi.RoleNamesAsync(db, cancellationToken);
        Manual = new HtmlString(ManualHtml(TemplateManual.ToMarkdown(Template, roles)));
        Versions = await library.UsageAsync(key, cancellationToken);
        CanStartForFirm = (await callers.RequireAsync(cancellationToken)).SeesWholeFirm;
        return Page();
    }
}
