using Ensemble.Processes.Templates;
using Ensemble.Storage;
using Ensemble.Storage.Library;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Ensemble.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Web.Pages.Households;

/// <summary>One household: facts, team, accounts and policies, processes, open work and its timeline.</summary>
[Access(AccessKind.Household)]
public sealed class DetailModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    public HouseholdProfile Profile { get; private set; } = null!;

    public IReadOnlyList<TimelineEntry> History { get; private set; } = [];

    public IReadOnlyList<TemplateVersion> Templates { get; private set; } = [];

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string key, CancellationToken cancellationToken)
    {
        var profile = await HouseholdProfile.ReadAsync(db, clock, key, cancellationToken);
        if (profile is null)
        {
            return NotFound();
        }

        Profile = profile;
        var id = HouseholdRoute.Id(HttpContext);
        History = await Timeline.ReadAsync(db, id, 100, cancellationToken);
        Templates = (await new TemplateLibrary(db, clock).ListAsync(cancellationToken)).Where(t => t.Category != TemplateCategory.PracticeManagement).ToList();
        Zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
        return Page();
    }

    public async Task<IActionResult> OnPostStartAsync(string key, string? template, string? meetingDate, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var anchors = new Dictionary<string, LocalDate>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(meetingDate))
        {
            var parsed = LocalDatePattern.Iso.Parse(meetingDate);
            if (!parsed.Success)
            {
                Message = $"\"{meetingDate}\" is not a date.";
                return RedirectToPage(new { key });
            }

            anchors["meeting-date"] = parsed.Value;
        }

        var id = HouseholdRoute.Id(HttpContext);
        var started = await new WorkService(db, clock).StartAsync(template ?? "", id, anchors, caller.Handle, cancellationToken: cancellationToken);
        Message = started.IsSuccess
            ? $"Started {started.Value.Instance.TemplateName}: {started.Value.Activated.Count} task(s) to do first."
            : started.Error!.Message;
        return RedirectToPage(new { key });
    }
}
