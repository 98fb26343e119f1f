using Ensemble.Processes.Templates;
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
public sealed class TemplateModel(EnsembleDb db, IClock clock) : PageModel
{
    // Raw HTML in template text is shown as text, never run.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseTaskLists().DisableHtml().Build();

    public ProcessTemplate Template { get; private set; } = null!;

    public TemplateVersion Version { get; private set; } = null!;

    public IHtmlContent Manual { get; private set; } = HtmlString.Empty;

    public IReadOnlyList<VersionUsage> Versions { get; private set; } = [];

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
        return Page();
    }
}
