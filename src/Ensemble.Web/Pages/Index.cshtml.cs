using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages;

/// <summary>My work: open tasks by when they are due, grouped by household, completed or skipped in place.</summary>
[Access(AccessKind.AnyStaff)]
public sealed class IndexModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    public WorkList Work { get; private set; } = null!;

    public string Name { get; private set; } = "";

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(Message, cancellationToken);

    public Task<IActionResult> OnPostCompleteAsync(long id, string? note, CancellationToken cancellationToken) =>
        ActAsync(id, (work, check) => work.CompleteAsync(new TaskId(id), check, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), cancellationToken), "Completed", cancellationToken);

    public Task<IActionResult> OnPostSkipAsync(long id, string? reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return RespondAsync("Skipping a task needs a reason.", cancellationToken);
        }

        return ActAsync(id, (work, check) => work.SkipAsync(new TaskId(id), check, reason.Trim(), cancellationToken), "Skipped", cancellationToken);
    }

    // The transition checks the caller's access on the task it loads, so the page reads nothing beforehand.
    private async Task<IActionResult> ActAsync(long id, Func<WorkService, TaskCheck, Task<Result<Ensemble.Processes.Running.Transition>>> act, string verb, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var done = await act(new WorkService(db, clock), new TaskCheck(caller));
        if (!done.IsSuccess)
        {
            // Someone else's task and no task at all look the same from here.
            var refused = done.Error!.Kind is ErrorKind.NotFound or ErrorKind.Forbidden;
            return await RespondAsync(refused ? "That task is not one you can act on." : done.Error.Message, cancellationToken);
        }

        var task = done.Value.Instance.Tasks.Single(t => t.Id == new TaskId(id));
        var next = done.Value.Activated.Select(t => t.Title).ToList();
        var message = $"{verb} “{task.Title}”."
            + (next.Count > 0 ? $" Next: {string.Join(", ", next.Select(n => $"“{n}”"))}." : "")
            + (done.Value.InstanceCompleted ? $" {done.Value.Instance.TemplateName} is complete." : "");
        return await RespondAsync(message, cancellationToken);
    }

    // In-place requests get the refreshed list; a plain form post is redirected back (post/redirect/get).
    private async Task<IActionResult> RespondAsync(string message, CancellationToken cancellationToken)
    {
        if (Request.Headers["X-Requested-With"] == "fetch")
        {
            await LoadAsync(message, cancellationToken);
            return Partial("_WorkList", Work);
        }

        Message = message;
        return RedirectToPage();
    }

    private async Task LoadAsync(string? message, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        Name = caller.Name;
        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        var tasks = await new TaskViews(db).ForStaffAsync(caller.StaffId, 300, cancellationToken);
        Work = WorkList.Of(tasks, today, message);
    }
}
