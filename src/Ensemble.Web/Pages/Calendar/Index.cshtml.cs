using System.Globalization;
using Ensemble.Practice;
using Ensemble.ServiceModel;
using Ensemble.Storage;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Web.Pages.Calendar;

/// <summary>
/// My meetings, a month at a time, day by day (<c>?month=2027-03</c>). Roles that see the whole firm can look at
/// any advisor's month (<c>?advisor=david</c>) and lay out a service year for the whole firm.
/// </summary>
[Access(AccessKind.AnyStaff)]
public sealed class IndexModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    /// <summary>Unplaced meetings listed after a lay-out; the rest are counted.</summary>
    private const int UnplacedShown = 20;

    public YearMonth Month { get; private set; }

    public string Whose { get; private set; } = "";

    public string? Advisor { get; private set; }

    public bool SeesWholeFirm { get; private set; }

    public IReadOnlyList<(string Handle, string Name)> Advisors { get; private set; } = [];

    public IReadOnlyList<IGrouping<LocalDate, TouchpointView>> Days { get; private set; } = [];

    public int Limit { get; private set; }

    public LocalDate Today { get; private set; }

    public string? Problem { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string? month, string? advisor, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        SeesWholeFirm = caller.SeesWholeFirm;
        Today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        Month = new YearMonth(Today.Year, Today.Month);
        if (!string.IsNullOrWhiteSpace(month))
        {
            var parsed = ServiceCalendarViews.ParseMonth(month);
            if (parsed.IsSuccess)
            {
                Month = parsed.Value;
            }
            else
            {
                Problem = parsed.Error!.Message;
            }
        }

        var (staffId, name) = (caller.StaffId, "My");
        if (!string.IsNullOrWhiteSpace(advisor) && !string.Equals(advisor.Trim(), caller.Handle, StringComparison.OrdinalIgnoreCase))
        {
            if (!caller.SeesWholeFirm)
            {
                return StatusCode(StatusCodes.Status403Forbidden);
            }

            var handle = advisor.Trim().ToLowerInvariant();
            var other = await db.Staff.AsNoTracking().Where(s => s.Handle == handle).Select(s => new { s.Id, s.Name }).SingleOrDefaultAsync(cancellationToken);
            if (other is null)
            {
                Problem = $"There is no staff member \"{advisor.Trim()}\"; showing your own meetings.";
            }
            else
            {
                (staffId, name, Advisor) = (other.Id, other.Name + "'s", handle);
            }
        }

        Whose = name;
        if (SeesWholeFirm)
        {
            var staff = await db.Staff.AsNoTracking().Where(s => s.Active).OrderBy(s => s.Name).ToListAsync(cancellationToken);
            Advisors = staff.Where(s => s.Holds(RoleKeys.WealthPartner) || s.Holds(RoleKeys.FinancialAdvisor)).Select(s => (s.Handle, s.Name)).ToList();
        }

        var meetings = await new ServiceCalendarViews(db).ForAdvisorAsync(staffId, Month.Year, Month.Month, cancellationToken);
        Days = meetings.GroupBy(m => m.Date).ToList();
        Limit = (await ServiceSettingsStore.GetAsync(db, cancellationToken)).MeetingsPerAdvisorPerDay;
        return Page();
    }

    public async Task<IActionResult> OnPostLayOutAsync(int? year, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        if (!caller.SeesWholeFirm)
        {
            Message = "Only roles that see the whole firm (principal, compliance) may lay out the calendar.";
            return RedirectToPage();
        }

        if (year is not { } y)
        {
            Message = "Name the service year to lay out.";
            return RedirectToPage();
        }

        var laid = await new ServiceCalendar(db, clock).LayOutAsync(y, (string?)null, caller.Handle, cancellationToken);
        if (!laid.IsSuccess)
        {
            Message = laid.Error!.Message;
            return RedirectToPage();
        }

        var r = laid.Value;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Laid out {r.Year} for {r.Households:N0} clients: {r.Placed:N0} meetings placed, {r.AlreadyThere:N0} already there, {r.ProcessesStarted:N0} processes started, {r.Unsegmented:N0} unsegmented.");
        if (r.Unplaced.Count > 0)
        {
            message += $" {r.Unplaced.Count:N0} could not be placed: "
                + string.Join("; ", r.Unplaced.Take(UnplacedShown).Select(u => $"{u.HouseholdKey} meeting {u.Sequence}: {u.Reason}"))
                + (r.Unplaced.Count > UnplacedShown ? $"; and {r.Unplaced.Count - UnplacedShown:N0} more (see `ensemble calendar lay-out`)." : ".");
        }

        Message = message;
        return RedirectToPage();
    }

    /// <summary>A link to another month, keeping the advisor shown.</summary>
    public string Link(YearMonth month) =>
        $"/calendar?month={month.ToString("uuuu-MM", CultureInfo.InvariantCulture)}" + (Advisor is null ? "" : $"&advisor={Uri.EscapeDataString(Advisor)}");

    public static YearMonth Shift(YearMonth month, int by)
    {
        var date = month.OnDayOfMonth(1).PlusMonths(by);
        return new YearMonth(date.Year, date.Month);
    }

    public static bool Cancelled(TouchpointView meeting) => meeting.Status == TouchpointStatus.Cancelled;
}
