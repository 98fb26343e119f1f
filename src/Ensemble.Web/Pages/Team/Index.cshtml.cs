using Ensemble.Practice;
using Ensemble.Storage;
using Ensemble.Storage.Practice;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Web.Pages.Team;

/// <summary>Team and coverage: who is away, who backs up whom, thinly held roles; mark someone away or reassign a role.</summary>
[Access(AccessKind.AnyStaff)]
public sealed class IndexModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    /// <summary>A role held by fewer people than this has no real cover.</summary>
    public const int ThinCover = 3;

    public sealed record Person(Staff Staff, Absence? AwayNow, IReadOnlyList<Absence> Upcoming, int OpenTasks, IReadOnlyList<string> Covers);

    public sealed record RoleCover(Role Role, IReadOnlyList<string> Holders);

    public IReadOnlyList<Person> People { get; private set; } = [];

    public IReadOnlyList<RoleCover> Roles { get; private set; } = [];

    public IReadOnlyList<TeamMemberView> FirmTeam { get; private set; } = [];

    public bool CanManage { get; private set; }

    public LocalDate Today { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        CanManage = caller.SeesWholeFirm;
        Today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        var staff = await db.Staff.AsNoTracking().Where(s => s.Active).OrderBy(s => s.Name).ToListAsync(cancellationToken);
        var open = await db.Tasks.AsNoTracking()
            .Where(t => t.AssigneeId != null && (t.Status == Ensemble.Processes.Running.WorkTaskStatus.Open || t.Status == Ensemble.Processes.Running.WorkTaskStatus.InProgress))
            .GroupBy(t => t.AssigneeId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var covers = await BackupsAsync(staff, cancellationToken);
        var today = Today;
        People = staff.Select(s => new Person(
                s,
                s.Absences.FirstOrDefault(a => a.Covers(today)),
                s.Absences.Where(a => a.From > today).OrderBy(a => a.From).ToList(),
                open.FirstOrDefault(o => o.Key == s.Id)?.Count ?? 0,
                covers.GetValueOrDefault(s.Handle, [])))
            .ToList();
        var roles = await db.Roles.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken);
        Roles = roles.Select(r => new RoleCover(r, staff.Where(s => s.Holds(r.Key)).Select(s => s.Name).ToList())).ToList();
        FirmTeam = await new Teams(db, clock).ShowAsync(null, cancellationToken);
    }

    public async Task<IActionResult> OnPostAwayAsync(string? handle, string? from, string? to, string? note, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        if (!caller.SeesWholeFirm)
        {
            return Forbid();
        }

        var first = LocalDatePattern.Iso.Parse(from ?? "");
        var last = LocalDatePattern.Iso.Parse(to ?? "");
        if (string.IsNullOrWhiteSpace(handle) || !first.Success || !last.Success)
        {
            Message = "Choose a person and the first and last days away.";
            return RedirectToPage();
        }

        var moved = await new StaffDirectory(db, clock).MarkAwayAsync(handle, first.Value, last.Value, note, caller.Handle, cancellationToken);
        Message = moved.IsSuccess ? $"{handle} is away {first.Value:d MMM} to {last.Value:d MMM}; {moved.Value.Count} task(s) moved to backups." : moved.Error!.Message;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostReassignAsync(string? role, string? from, string? to, string? household, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        if (!caller.SeesWholeFirm)
        {
            return Forbid();
        }

        if (string.IsNullOrWhiteSpace(role) || string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to))
        {
            Message = "Choose the role, who holds it now and who takes it over.";
            return RedirectToPage();
        }

        var changed = await new Teams(db, clock).ReassignAsync(role, from, to, string.IsNullOrWhiteSpace(household) ? null : household.Trim(), caller.Handle, cancellationToken);
        Message = changed.IsSuccess
            ? $"{role} moved from {from} to {to} on {changed.Value.AssignmentsChanged} team(s); {changed.Value.TasksMoved} open task(s) moved."
            : changed.Error!.Message;
        return RedirectToPage();
    }

    // Who each person covers: the holders whose backup list names them (at most one line per holder and role).
    private async Task<Dictionary<string, IReadOnlyList<string>>> BackupsAsync(List<Staff> staff, CancellationToken cancellationToken)
    {
        var byId = staff.ToDictionary(s => s.Id);
        var pairs = await db.TeamAssignments.AsNoTracking()
            .Select(a => new { a.RoleKey, a.StaffId, a.Backups })
            .ToListAsync(cancellationToken);
        return pairs
            .SelectMany(p => p.Backups.Where(byId.ContainsKey).Select(b => (Backup: byId[b].Handle, Line: $"{(byId.TryGetValue(p.StaffId, out var h) ? h.Name : "?")} ({p.RoleKey})")))
            .GroupBy(x => x.Backup)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(x => x.Line).Distinct().Order(StringComparer.Ordinal).ToList());
    }
}
