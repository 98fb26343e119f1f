using Ensemble.Storage;
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

    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Saved = await new SavedAudiences(db, clock).ListAsync(cancellationToken);

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
        Saved = await new SavedAudiences(db, clock).ListAsync(cancellationToken);
        return Page();
    }
}
