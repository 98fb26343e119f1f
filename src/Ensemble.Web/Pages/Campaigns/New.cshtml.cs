using Ensemble.Advisory;
using Ensemble.Storage;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Communications.Campaigns;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.Campaigns;

/// <summary>
/// Writing a new campaign. It is saved as a draft once its fields are right, even with template problems, which the
/// campaign's page then shows at their line and column; it cannot be submitted until they are fixed.
/// </summary>
[Access(AccessKind.AnyStaff)]
public sealed class NewModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    [BindProperty]
    public CampaignForm Form { get; set; } = CampaignForm.Blank();

    public IReadOnlyList<SavedAudienceView> Saved { get; private set; } = [];

    /// <summary>The firm's advisory rules, which an alert follow-up message answers one of.</summary>
    public IReadOnlyList<AdvisoryRule> Rules { get; private set; } = [];

    public string? Message { get; private set; }

    /// <summary>With <paramref name="alertRule"/> (a link from an alert type), the form starts as that rule's alert follow-up message.</summary>
    public async Task OnGetAsync(string? alertRule, CancellationToken cancellationToken)
    {
        await LoadChoicesAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(alertRule) && Rules.Any(r => r.Key == alertRule))
        {
            Form = CampaignForm.Blank(alertRule);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var book = new CampaignBook(db, clock);
        var caller = await callers.RequireAsync(cancellationToken);
        var (input, problems) = await Form.SaveAudienceAsync(new SavedAudiences(db, clock), caller.Handle, cancellationToken);
        if (problems.Count == 0)
        {
            (_, problems) = await book.CheckAsync(input, cancellationToken);
        }

        if (problems.Count == 0)
        {
            var created = await book.CreateAsync(input, caller.Handle, cancellationToken);
            if (created.IsSuccess)
            {
                TempData[DetailModel.MessageKey] = $"Saved “{created.Value.Name}” as a draft.";
                return Redirect($"/campaigns/{created.Value.Id}");
            }

            Message = created.Error!.Message;
        }

        Form.Problems = problems;
        Message ??= "The campaign was not saved: " + string.Join(" ", problems.Select(p => p.Message));
        await LoadChoicesAsync(cancellationToken);
        return Page();
    }

    private async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        Saved = await new SavedAudiences(db, clock).ListAsync(cancellationToken);
        Rules = (await AdvisorySettingsStore.GetAsync(db, cancellationToken)).Framework.Rules;
    }
}
