using Ensemble.Advisory;
using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Communications.Campaigns;
using Ensemble.Practice;
using Ensemble.Storage;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Access;
using Ensemble.Storage.Communications.Campaigns;
using Ensemble.Storage.Households;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.Campaigns;

/// <summary>
/// One campaign: its message (editable until sent, template problems at their line and column beside the field), who
/// it reaches and who is missing something, a preview for any household the person may see, the approval history with
/// submit, approve and reject, sending, and delivery per recipient.
/// </summary>
[Access(AccessKind.AnyStaff)]
public sealed class DetailModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    public const string MessageKey = "campaign:message";
    public const int RecipientsShown = 200;
    public const int IssuesShown = 200;

    [BindProperty]
    public CampaignForm Form { get; set; } = new();

    /// <summary>The household to preview (its key).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Preview { get; set; }

    /// <summary>Delivery status to narrow the recipient list to.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public CampaignView Campaign { get; private set; } = null!;

    public AudienceSummary? Audience { get; private set; }

    public IReadOnlyList<RecipientLine> Issues { get; private set; } = [];

    public RecipientPreview? Previewed { get; private set; }

    public string? PreviewError { get; private set; }

    public IReadOnlyList<DeliveryLine> Deliveries { get; private set; } = [];

    public IReadOnlyList<SavedAudienceView> Saved { get; private set; } = [];

    /// <summary>The firm's advisory rules, which an alert follow-up message answers one of.</summary>
    public IReadOnlyList<AdvisoryRule> Rules { get; private set; } = [];

    public Caller Caller { get; private set; } = null!;

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public string? Message { get; private set; }

    public bool Failed { get; private set; }

    public bool Editable => Campaign.Status != CampaignStatus.Sent.Key();

    /// <summary>Whether the person may review it: compliance, and not its author, last editor or submitter.</summary>
    public bool CanReview =>
        Campaign.Status == CampaignStatus.PendingApproval.Key()
        && Caller.Roles.Contains(RoleKeys.Compliance)
        && Caller.Handle != Campaign.Author && Caller.Handle != Campaign.LastEditedBy
        && Campaign.Reviews.LastOrDefault(r => r.Action == "submitted")?.By != Caller.Handle;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Form = CampaignForm.Of(Campaign);
        Message = TempData[MessageKey] as string;
        Failed = TempData[MessageKey + ":failed"] is true;
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(long id, CancellationToken cancellationToken)
    {
        var book = new CampaignBook(db, clock);
        var caller = await callers.RequireAsync(cancellationToken);
        var (input, problems) = await Form.SaveAudienceAsync(new SavedAudiences(db, clock), caller.Handle, cancellationToken);
        if (problems.Count == 0)
        {
            (_, problems) = await book.CheckAsync(input, cancellationToken);
        }

        if (problems.Count > 0)
        {
            return await ShowAsync(id, "The changes were not saved: " + string.Join(" ", problems.Select(p => p.Message)), problems, cancellationToken);
        }

        var before = await book.FindAsync(new CampaignId(id), cancellationToken);
        var revised = await book.ReviseAsync(new CampaignId(id), input, caller.Handle, Form.Version, cancellationToken);
        if (!revised.IsSuccess)
        {
            return revised.Error!.Kind == ErrorKind.NotFound ? NotFound() : await ShowAsync(id, revised.Error.Message, [], cancellationToken);
        }

        var voided = before is not null && before.Status is "approved" or "pending-approval" && revised.Value.Status == CampaignStatus.Draft;
        return Done(id, voided
            ? "Saved. The change voids its approval: submit it again for a compliance reviewer to approve."
            : "Saved.", failed: false);
    }

    public async Task<IActionResult> OnPostSubmitAsync(long id, int? version, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var submitted = await new CampaignBook(db, clock).SubmitAsync(new CampaignId(id), caller.Handle, version, cancellationToken);
        return Outcome(id, submitted, "Submitted for approval. A compliance reviewer other than you approves or rejects it.");
    }

    public async Task<IActionResult> OnPostReviewAsync(long id, int? version, string? decision, string? comment, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var approve = decision == "approve";
        var reviewed = await new CampaignBook(db, clock).ReviewAsync(new CampaignId(id), approve, comment, caller.Handle, version, cancellationToken);
        return Outcome(id, reviewed, approve ? "Approved. It may now be sent." : "Rejected; the author sees your comment.");
    }

    public async Task<IActionResult> OnPostSendAsync(long id, int? version, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var sent = await new CampaignSender(db, clock).SendAsync(new CampaignId(id), caller.Handle, version, cancellationToken);
        if (!sent.IsSuccess)
        {
            return sent.Error!.Kind == ErrorKind.NotFound ? NotFound() : Done(id, sent.Error.Message, failed: true);
        }

        var r = sent.Value;
        return Done(id, $"Queued {r.Queued:N0} messages ({r.ByEmail:N0} by email, {r.ByLetter:N0} by letter, {r.ByPortal:N0} in the portal)"
            + (r.AlreadyQueued > 0 ? $"; {r.AlreadyQueued:N0} had been queued before" : "")
            + $". Left out: {r.DoNotContact:N0} do not contact, {r.InvalidAddress:N0} with an invalid address, {r.MissingFields:N0} missing a merge field.", failed: false);
    }

    private IActionResult Outcome(long id, Result<Ensemble.Communications.Campaigns.Campaign> result, string success) =>
        result.IsSuccess ? Done(id, success, failed: false)
        : result.Error!.Kind == ErrorKind.NotFound ? NotFound()
        : Done(id, result.Error.Message, failed: true);

    private RedirectResult Done(long id, string message, bool failed)
    {
        TempData[MessageKey] = message;
        TempData[MessageKey + ":failed"] = failed;
        return Redirect($"/campaigns/{id}");
    }

    /// <summary>The page again with the form as typed and what is wrong with it.</summary>
    private async Task<IActionResult> ShowAsync(long id, string message, IReadOnlyList<CampaignProblem> problems, CancellationToken cancellationToken)
    {
        var typed = Form;
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        typed.Problems = problems;
        Form = typed;
        Message = message;
        Failed = true;
        return Page();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        var view = await new CampaignBook(db, clock).FindAsync(new CampaignId(id), cancellationToken);
        if (view is null)
        {
            return false;
        }

        Campaign = view;
        Caller = await callers.RequireAsync(cancellationToken);
        Zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
        Saved = await new SavedAudiences(db, clock).ListAsync(cancellationToken);
        Rules = (await AdvisorySettingsStore.GetAsync(db, cancellationToken)).Framework.Rules;
        var access = new HouseholdAccess(db);
        var visible = await access.VisibleHouseholdIdsAsync(Caller, cancellationToken);
        var recipients = new CampaignRecipients(db, clock);
        var overview = view.IsStanding ? null : await recipients.OverviewAsync(new CampaignId(id), visible, onlyIssues: false, RecipientsShown, 0, IssuesShown, cancellationToken);
        Audience = overview?.Summary;
        Issues = overview?.Issues ?? [];

        if (view.Delivery.Total > 0)
        {
            DeliveryStatus? only = Enum.TryParse<DeliveryStatus>(Status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
            Deliveries = await new CampaignProgress(db).RecipientsAsync(new CampaignId(id), only, visible, RecipientsShown, 0, cancellationToken);
        }

        // Preview the household asked for, or else the first recipient the person may see.
        var key = string.IsNullOrWhiteSpace(Preview) ? Audience?.Recipients.FirstOrDefault(r => r.Deliverable)?.HouseholdKey : Preview.Trim();
        if (key is not null)
        {
            var household = await new HouseholdDirectory(db, clock).IdOfAsync(key, cancellationToken);
            if (household is not { } found)
            {
                PreviewError = $"There is no household {key}.";
            }
            else if (!await access.CanSeeAsync(Caller, found, cancellationToken))
            {
                PreviewError = $"You are not on the service team of household {key}, so you cannot preview its message.";
            }
            else
            {
                Previewed = await recipients.PreviewAsync(new CampaignId(id), found, cancellationToken);
                Preview = key;
            }
        }

        return true;
    }
}
