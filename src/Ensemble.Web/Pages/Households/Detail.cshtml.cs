using Ensemble.Processes.Templates;
using Ensemble.Storage;
using Ensemble.ServiceModel;
using Ensemble.Storage.Library;
using Ensemble.Storage.ServiceModel;
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
        CanOverrideTier = (await callers.RequireAsync(cancellationToken)).SeesWholeFirm;
        return Page();
    }

    /// <summary>Whether the caller may set the tier by hand (roles that see the whole firm).</summary>
    public bool CanOverrideTier { get; private set; }

    public async Task<IActionResult> OnPostTierAsync(string key, string? tier, string? reason, string? until, bool clear, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        if (!caller.SeesWholeFirm)
        {
            return Forbid();
        }

        var book = new TierBook(db, clock);
        if (clear)
        {
            var cleared = await book.ClearOverrideAsync(key, caller.Handle, cancellationToken);
            Message = cleared.IsSuccess ? $"Manual tier removed; {cleared.Value.TierName} applies." : cleared.Error!.Message;
            return RedirectToPage(new { key });
        }

        LocalDate? last = null;
        if (!string.IsNullOrWhiteSpace(until))
        {
            var parsed = LocalDatePattern.Iso.Parse(until);
            if (!parsed.Success)
            {
                Message = $"\"{until}\" is not a date.";
                return RedirectToPage(new { key });
            }

            last = parsed.Value;
        }

        if (!Enum.TryParse<ServiceTier>(tier, ignoreCase: true, out var chosen) || !Enum.IsDefined(chosen))
        {
            Message = "Choose a tier.";
            return RedirectToPage(new { key });
        }

        var set = await book.OverrideAsync(key, chosen, reason, last, caller.Handle, cancellationToken);
        Message = set.IsSuccess ? $"Tier set to {set.Value.Tier} by hand." : set.Error!.Message;
        return RedirectToPage(new { key });
    }

    public async Task<IActionResult> OnPostStartAsync(string key, string? template, string? meetingDate, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var (anchors, problem) = await StartAnchors.ForAsync(db, clock, template ?? "", meetingDate, cancellationToken);
        if (anchors is null)
        {
            Message = problem;
            return RedirectToPage(new { key });
        }

        var id = HouseholdRoute.Id(HttpContext);
        var started = await new WorkService(db, clock).StartAsync(template ?? "", id, anchors, caller.Handle, cancellationToken: cancellationToken);
        Message = started.IsSuccess
            ? $"Started {started.Value.Instance.TemplateName}: {started.Value.Activated.Count} task(s) to do first."
            : started.Error!.Message;
        return RedirectToPage(new { key });
    }
}
