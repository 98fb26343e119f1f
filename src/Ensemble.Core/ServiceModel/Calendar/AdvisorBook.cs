using Ensemble.Common;

namespace Ensemble.ServiceModel.Calendar;

/// <summary>
/// One advisor's meetings, indexed by day of the planning window, so asking "how full is Tuesday?" is an
/// array lookup however many households the firm has. Also counts the advisor's meetings per month of the
/// year, which is what spreading review months evenly looks at.
/// </summary>
internal sealed class AdvisorBook(StaffId id, string handle, bool active, int days)
{
    public StaffId Id { get; } = id;

    public string Handle { get; } = handle;

    public bool Active { get; } = active;

    /// <summary>True on days of the window the advisor is away.</summary>
    public bool[] Away { get; } = new bool[days];

    /// <summary>Meetings per day of the window; null until the first one.</summary>
    public MeetingDay?[] Days { get; } = new MeetingDay?[days];

    /// <summary>Meetings of the service year per calendar month (index 0 = January), for balancing review months.</summary>
    public int[] MonthLoad { get; } = new int[12];

    /// <summary>The advisor's households reviewed in each calendar month: among equally loaded months, the one with fewer reviews is chosen.</summary>
    public int[] ReviewLoad { get; } = new int[12];

    /// <summary>Meetings the advisor has room for, by month index (year × 12 + month − 1), once worked out.</summary>
    public Dictionary<int, int> Room { get; } = [];

    public int CountOn(int day) => Days[day]?.Count ?? 0;

    public void Add(int day, int start, int end) => (Days[day] ??= new MeetingDay()).Add(start, end);
}

/// <summary>The meetings of one advisor on one day, as minute ranges from midnight, kept in start order.</summary>
internal sealed class MeetingDay
{
    private readonly List<(int Start, int End)> _meetings = new(4);

    public int Count => _meetings.Count;

    public void Add(int start, int end)
    {
        var at = 0;
        while (at < _meetings.Count && _meetings[at].Start <= start)
        {
            at++;
        }

        _meetings.Insert(at, (start, end));
    }

    /// <summary>
    /// The earliest start on the half-hour grid from <paramref name="first"/> at which a meeting of
    /// <paramref name="minutes"/> fits before <paramref name="last"/> without overlapping another; -1 when none.
    /// </summary>
    public int FreeStart(int minutes, int first, int last, int grid)
    {
        var start = first;
        foreach (var (s, e) in _meetings)
        {
            if (start + minutes <= s)
            {
                break;
            }

            if (e > start)
            {
                start = first + ((e - first + grid - 1) / grid * grid);
            }
        }

        return start + minutes <= last ? start : -1;
    }

    public static int FreeStartOnEmptyDay(int minutes, int first, int last) => first + minutes <= last ? first : -1;
}
