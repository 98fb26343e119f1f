using System.Globalization;
using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Processes.Templates;
using NodaTime;

namespace Ensemble.ServiceModel.Capacity;

/// <summary>
/// Hours needed per role and per person in each month of a year, against the hours they have.
/// Demand comes from the service calendar (each tier's meetings, placed from the household's review
/// month or taken from touchpoints already laid out, with the preparation and follow-up steps of the
/// process that runs each meeting), from periodic processes, and from between-meeting contact. Work
/// goes to the person holding the step's role on the household's team, else to the firm-level holder.
/// <para>
/// The year is one steady year of service: a meeting's month is its month of the year, so a meeting
/// of this service year that falls early next year counts in that month, as last year's did.
/// Preparation and follow-up count in the meeting's month.
/// </para>
/// <para>
/// Fast because households are grouped before any step is counted: by tier, review month and team
/// (a firm has few distinct teams), so the work is households + groups × steps, not households × steps.
/// </para>
/// </summary>
public sealed class CapacityModel
{
    private const int Months = 12;
    private const int Tiers = 4;
    private const int TouchpointSource = 0;
    private const int PeriodicSource = 1;
    private const int ContactSource = 2;

    private readonly CapacityInput _input;
    private readonly CapacityOptions _options;
    private readonly List<string> _roleKeys = [];
    private readonly Dictionary<string, int> _roleIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<StaffId, int> _personIndex = [];
    private readonly int[][] _held;
    private readonly int[] _holders;
    private readonly Dictionary<string, Work> _work = new(StringComparer.Ordinal);
    private readonly List<Periodic> _forFirm = [];
    private readonly List<Periodic> _forClients = [];
    private readonly double[] _available;
    private readonly int[] _businessDays = new int[Months];
    private readonly Dictionary<HouseholdId, List<StoredTouchpoint>> _stored = [];
    private readonly SortedSet<string> _missingTemplates = new(StringComparer.Ordinal);
    private readonly Demand _base;
    private int _withoutReviewMonth;
    private int _fromStored;
    private Dictionary<string, CapacityHousehold>? _byKey;

    private CapacityModel(CapacityInput input, CapacityOptions options)
    {
        _input = input;
        _options = options;
        IndexRoles();
        for (var p = 0; p < input.People.Count; p++)
        {
            _personIndex.TryAdd(input.People[p].Id, p);
        }

        _held = input.People.Select(person => person.Roles.Select(RoleKeys.Normalize).Where(_roleIndex.ContainsKey).Select(k => _roleIndex[k]).Distinct().ToArray()).ToArray();
        _holders = ResolveHolders();
        foreach (var template in input.Templates)
        {
            _work[template.Key] = WorkOf(template, withoutMeetingStep: true);
            AddPeriodic(template);
        }

        _available = Availability();
        foreach (var row in input.Touchpoints)
        {
            if (!_stored.TryGetValue(row.Household, out var rows))
            {
                _stored[row.Household] = rows = [];
            }

            rows.Add(row);
        }

        _base = new Demand(People, RoleCount);
        AddPeriodicForFirm(_base);
        AddHouseholds(_base, input.Households.Select(h => (h, h.Tier, true)), 1, withPeriodic: true, count: true);
    }

    private int People => _input.People.Count;

    private int RoleCount => _roleKeys.Count;

    /// <summary>Builds the model: indexes the input and counts the year's demand once.</summary>
    public static CapacityModel Build(CapacityInput input, CapacityOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        return new CapacityModel(input, options);
    }

    /// <summary>The plan: per role and per person, month by month, with flags and notes.</summary>
    public CapacityPlan Plan()
    {
        var roles = RoleLoads(_base);
        var people = PersonLoads(_base);
        return new CapacityPlan(
            _input.Year, _options.HoursPerDay, _options.MinutesPerContact, _input.Households.Count,
            _businessDays, roles, people, Notes(roles));
    }

    /// <summary>
    /// Tries a change of tiers: returns the households it would move and the change in hours for every
    /// role and person it affects. A request that cannot be met is refused with a message naming the field.
    /// </summary>
    public Result<WhatIfResult> WhatIf(WhatIf request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var chosen = request switch
        {
            MoveHouseholds named => ChooseNamed(named),
            MoveClosest closest => ChooseClosest(closest),
            _ => Error.Invalid("The what-if is not one this model knows."),
        };
        if (!chosen.IsSuccess)
        {
            return chosen.Error!;
        }

        var (description, moves) = chosen.Value;
        var after = _base.Clone();
        AddHouseholds(after, moves.Select(m => (m.Household, m.Household.Tier, true)), -1, withPeriodic: false, count: false);
        AddHouseholds(after, moves.Select(m => (m.Household, m.To, false)), 1, withPeriodic: false, count: false);

        var (rolesBefore, roleHoursBefore) = RoleMinutes(_base);
        var (rolesAfter, roleHoursAfter) = RoleMinutes(after);
        var roleChanges = Changes(RoleCount, rolesBefore, roleHoursBefore, rolesAfter, roleHoursAfter)
            .Select(c => new RoleChange(_roleKeys[c.Row], RoleName(c.Row), c.Months, c.Year))
            .ToList();
        var personChanges = Changes(People, PersonMinutes(_base), _available, PersonMinutes(after), _available)
            .Select(c => new PersonChange(_input.People[c.Row].Id, _input.People[c.Row].Handle, _input.People[c.Row].Name, c.Months, c.Year))
            .ToList();

        return new WhatIfResult(
            description,
            moves.Select(m => new HouseholdMove(m.Household.Key, m.Household.Tier, m.To)).ToList(),
            roleChanges,
            personChanges);
    }

    private Result<(string, List<Move>)> ChooseNamed(MoveHouseholds request)
    {
        if (!Enum.IsDefined(request.To))
        {
            return Error.Invalid($"to: {request.To} is not a tier; use A, B, C or Unsegmented.");
        }

        var keys = (request.Keys ?? []).Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            return Error.Invalid("households: name at least one household by its key.");
        }

        _byKey ??= _input.Households.GroupBy(h => h.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var unknown = keys.Where(k => !_byKey.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            return Error.Invalid($"households: {string.Join(", ", unknown.Take(20))}{(unknown.Count > 20 ? $" and {unknown.Count - 20} more" : "")} {(unknown.Count == 1 ? "is not a client household" : "are not client households")} of this firm.");
        }

        var moves = keys.Select(k => _byKey[k]).Where(h => h.Tier != request.To).Select(h => new Move(h, request.To)).ToList();
        var already = keys.Count - moves.Count;
        var description = $"Move {Households(moves.Count)} to {TierName(request.To)}{(already > 0 ? $" ({already} already there)" : "")}";
        return (description, moves);
    }

    private Result<(string, List<Move>)> ChooseClosest(MoveClosest request)
    {
        if (!Enum.IsDefined(request.From))
        {
            return Error.Invalid($"from: {request.From} is not a tier; use A, B, C or Unsegmented.");
        }

        if (!Enum.IsDefined(request.To))
        {
            return Error.Invalid($"to: {request.To} is not a tier; use A, B, C or Unsegmented.");
        }

        if (request.From == request.To)
        {
            return Error.Invalid($"to: the households are already in {TierName(request.To)}; choose another tier to move them to.");
        }

        if (request.Count < 1)
        {
            return Error.Invalid($"count: move at least one household, not {request.Count}.");
        }

        var candidates = _input.Households.Where(h => h.Tier == request.From).ToList();
        if (candidates.Count < request.Count)
        {
            return Error.Invalid($"count: only {Households(candidates.Count)} {(candidates.Count == 1 ? "is" : "are")} in {TierName(request.From)}, fewer than the {request.Count} asked for.");
        }

        // Moving up: the households with the most criteria already supporting the new tier. Moving down:
        // those with the fewest supporting the tier they leave. Ties go by key, so the choice is repeatable.
        var up = request.To < request.From;
        var ordered = up
            ? candidates.OrderByDescending(h => h.Support.For(request.To)).ThenBy(h => h.Key, StringComparer.Ordinal)
            : candidates.OrderBy(h => h.Support.For(request.From)).ThenBy(h => h.Key, StringComparer.Ordinal);
        var moves = ordered.Take(request.Count).Select(h => new Move(h, request.To)).ToList();
        var why = up
            ? $"those with the most criteria supporting {TierName(request.To)}"
            : $"those with the fewest criteria supporting {TierName(request.From)}";
        return ($"Move {Households(request.Count)} from {TierName(request.From)} to {TierName(request.To)} ({why})", moves);
    }

    private static string Are(int n) => n == 1 ? "is" : "are";

    private static string Has(int n) => n == 1 ? "has" : "have";

    private static string Households(int n) => n == 1 ? "1 household" : $"{n.ToString("N0", CultureInfo.InvariantCulture)} households";

    private static string TierName(ServiceTier tier) => TierText.Name(tier);

    // ---- Demand -----------------------------------------------------------------------------------

    /// <summary>Minutes of work by person (the last slot: no one), role and month; and by role and source for the year.</summary>
    private sealed class Demand
    {
        public Demand(int people, int roles)
        {
            PeopleCount = people;
            RoleCount = roles;
            Minutes = new double[(people + 1) * roles * Months];
            Sources = new double[roles * 3];
        }

        private Demand(Demand other)
        {
            PeopleCount = other.PeopleCount;
            RoleCount = other.RoleCount;
            Minutes = (double[])other.Minutes.Clone();
            Sources = (double[])other.Sources.Clone();
        }

        public int PeopleCount { get; }

        public int RoleCount { get; }

        public double[] Minutes { get; }

        public double[] Sources { get; }

        public Demand Clone() => new(this);

        public void Add(int person, int role, int month, double minutes, int source)
        {
            var p = person < 0 ? PeopleCount : person;
            Minutes[((p * RoleCount) + role) * Months + month] += minutes;
            Sources[role * 3 + source] += minutes;
        }

        public double At(int person, int role, int month) => Minutes[((person * RoleCount) + role) * Months + month];
    }

    private sealed record Move(CapacityHousehold Household, ServiceTier To);

    /// <summary>A template's minutes per role index, and the role index of its meeting step (-1 when it has none).</summary>
    private sealed record Work((int Role, int Minutes)[] Steps, int MeetingRole);

    private sealed record Periodic(Work Work, int[] PerMonth);

    private static int TierIndex(ServiceTier tier) => tier switch
    {
        ServiceTier.A => 0,
        ServiceTier.B => 1,
        ServiceTier.C => 2,
        _ => 3,
    };

    private static ServiceTier TierAt(int index) => index switch
    {
        0 => ServiceTier.A,
        1 => ServiceTier.B,
        2 => ServiceTier.C,
        _ => ServiceTier.Unsegmented,
    };

    /// <summary>
    /// Adds the households' meetings and contact (and, when asked, their share of periodic client
    /// processes), grouped first: by tier, review month and team for meetings, by tier and team for contact.
    /// Households with stored touchpoints (when <c>useStored</c>) are counted from those rows instead.
    /// </summary>
    private void AddHouseholds(Demand demand, IEnumerable<(CapacityHousehold Household, ServiceTier Tier, bool UseStored)> items, double weight, bool withPeriodic, bool count)
    {
        var teams = _input.Teams.Count + 1;
        var meetings = new Dictionary<long, double>();
        var contact = new Dictionary<int, double>();
        var clients = new Dictionary<int, double>();
        foreach (var (household, tier, useStored) in items)
        {
            var team = TeamRow(household.Team);
            var t = TierIndex(tier);
            if (useStored && _stored.TryGetValue(household.Id, out var rows))
            {
                foreach (var row in rows)
                {
                    AddStored(demand, row, tier, team, weight);
                }

                if (count)
                {
                    _fromStored++;
                }
            }
            else if (tier != ServiceTier.Unsegmented)
            {
                var month = household.ReviewMonth is >= 1 and <= 12 ? household.ReviewMonth.Value : 0;
                if (month == 0 && count)
                {
                    _withoutReviewMonth++;
                }

                var key = ((long)team * Tiers + t) * 13 + month;
                meetings[key] = meetings.GetValueOrDefault(key) + weight;
            }

            if (tier != ServiceTier.Unsegmented)
            {
                var key = team * Tiers + t;
                contact[key] = contact.GetValueOrDefault(key) + weight;
            }

            if (withPeriodic)
            {
                clients[team] = clients.GetValueOrDefault(team) + weight;
            }
        }

        foreach (var (key, n) in meetings)
        {
            var month = (int)(key % 13);
            var t = (int)(key / 13 % Tiers);
            var team = (int)(key / 13 / Tiers);
            foreach (var plan in _input.Settings.PlanFor(TierAt(t)))
            {
                var when = month == 0 ? -1 : (month - 1 + plan.MonthsAfterReview) % Months;
                AddMeeting(demand, WorkFor(plan.Template), plan.Minutes, team, -1, when, n);
            }
        }

        foreach (var (key, n) in contact)
        {
            var tier = TierAt(key % Tiers);
            var team = key / Tiers;
            var perYear = _input.Settings.ContactsPerYear.GetValueOrDefault(tier) * _options.MinutesPerContact * n;
            if (perYear == 0)
            {
                continue;
            }

            var role = _roleIndex[ContactRole(tier)];
            var person = Holder(team, role);
            for (var m = 0; m < Months; m++)
            {
                demand.Add(person, role, m, perYear / Months, ContactSource);
            }
        }

        foreach (var (team, n) in clients)
        {
            foreach (var periodic in _forClients)
            {
                AddPeriodic(demand, periodic, team, n);
            }
        }
    }

    private void AddStored(Demand demand, StoredTouchpoint row, ServiceTier tier, int team, double weight)
    {
        var template = TemplateFor(tier, row.Kind);
        var advisor = row.Advisor is { } id && _personIndex.TryGetValue(id, out var p) ? p : -1;
        AddMeeting(demand, WorkFor(template), row.Minutes, team, advisor, row.Date.Month - 1, weight);
    }

    /// <summary>One meeting (times <paramref name="weight"/>) in a month, or spread over the year when month is -1.</summary>
    private void AddMeeting(Demand demand, Work work, int minutes, int team, int advisor, int month, double weight)
    {
        if (month < 0)
        {
            for (var m = 0; m < Months; m++)
            {
                AddMeeting(demand, work, minutes, team, advisor, m, weight / Months);
            }

            return;
        }

        foreach (var (role, stepMinutes) in work.Steps)
        {
            demand.Add(Holder(team, role), role, month, stepMinutes * weight, TouchpointSource);
        }

        var meetingRole = work.MeetingRole >= 0 ? work.MeetingRole : _roleIndex[RoleKeys.WealthPartner];
        demand.Add(advisor >= 0 ? advisor : Holder(team, meetingRole), meetingRole, month, minutes * weight, TouchpointSource);
    }

    private void AddPeriodic(Demand demand, Periodic periodic, int team, double weight)
    {
        for (var m = 0; m < Months; m++)
        {
            var times = periodic.PerMonth[m];
            if (times == 0)
            {
                continue;
            }

            foreach (var (role, minutes) in periodic.Work.Steps)
            {
                demand.Add(Holder(team, role), role, m, times * minutes * weight, PeriodicSource);
            }
        }
    }

    private void AddPeriodicForFirm(Demand demand)
    {
        foreach (var periodic in _forFirm)
        {
            AddPeriodic(demand, periodic, 0, 1);
        }
    }

    // ---- Setup ------------------------------------------------------------------------------------

    private void IndexRoles()
    {
        void Add(string key)
        {
            var normal = RoleKeys.Normalize(key);
            if (normal.Length > 0 && _roleIndex.TryAdd(normal, _roleKeys.Count))
            {
                _roleKeys.Add(normal);
            }
        }

        foreach (var role in _input.Roles)
        {
            Add(role.Key);
        }

        Add(RoleKeys.WealthPartner);
        foreach (var key in _input.People.SelectMany(p => p.Roles)
            .Concat(_input.FirmTeam.Keys)
            .Concat(_input.Teams.SelectMany(t => t.Keys))
            .Concat(_input.Templates.SelectMany(t => t.Steps.Select(s => s.Role)))
            .Concat(TierModel.Tiers.Select(ContactRole)))
        {
            Add(key);
        }
    }

    private string ContactRole(ServiceTier tier) =>
        RoleKeys.Normalize(_options.ContactRoles.GetValueOrDefault(tier) ?? RoleKeys.ClientCareCoordinator);

    /// <summary>Row 0 is the firm; household team i is row i + 1.</summary>
    private static int TeamRow(int team) => team < 0 ? 0 : team + 1;

    private int Holder(int teamRow, int role) => _holders[teamRow * RoleCount + role];

    /// <summary>Who does each role's work for each team: its holder there, else the firm-level holder, else no one (-1).</summary>
    private int[] ResolveHolders()
    {
        var holders = new int[(_input.Teams.Count + 1) * RoleCount];
        Array.Fill(holders, -1);
        int Person(StaffId id) => _personIndex.TryGetValue(id, out var p) ? p : -1;
        foreach (var (key, id) in _input.FirmTeam)
        {
            holders[_roleIndex[RoleKeys.Normalize(key)]] = Person(id);
        }

        for (var t = 0; t < _input.Teams.Count; t++)
        {
            var row = (t + 1) * RoleCount;
            Array.Copy(holders, 0, holders, row, RoleCount);
            foreach (var (key, id) in _input.Teams[t])
            {
                if (Person(id) is var p and >= 0)
                {
                    holders[row + _roleIndex[RoleKeys.Normalize(key)]] = p;
                }
            }
        }

        return holders;
    }

    private Work WorkOf(ProcessTemplate template, bool withoutMeetingStep)
    {
        var steps = TemplateWorkload.MinutesByRole(template, withoutMeetingStep)
            .Where(x => x.Value > 0)
            .Select(x => (_roleIndex[RoleKeys.Normalize(x.Key)], x.Value))
            .ToArray();
        var meeting = withoutMeetingStep ? TemplateWorkload.MeetingStep(template) : null;
        return new Work(steps, meeting is null ? -1 : _roleIndex[RoleKeys.Normalize(meeting.Role)]);
    }

    private void AddPeriodic(ProcessTemplate template)
    {
        foreach (var trigger in template.Triggers.OfType<PeriodicTrigger>())
        {
            var perMonth = TemplateWorkload.OccurrencesPerMonth(trigger, _input.Year, _input.Calendar, _input.Zone);
            var periodic = new Periodic(WorkOf(template, withoutMeetingStep: false), perMonth);
            if (template.Scope == TemplateScope.Firm || trigger.Audience == PeriodicAudience.Firm)
            {
                _forFirm.Add(periodic);
            }
            else
            {
                _forClients.Add(periodic);
            }
        }
    }

    private static readonly Work MeetingOnly = new([], -1);

    /// <summary>The work of a meeting's template; a template missing from the library counts the meeting alone.</summary>
    private Work WorkFor(string template)
    {
        if (_work.TryGetValue(template, out var work))
        {
            return work;
        }

        _missingTemplates.Add(template);
        return MeetingOnly;
    }

    /// <summary>The template that runs a stored meeting of a kind: the tier's own plan first, then any tier's, then the standard one.</summary>
    private string TemplateFor(ServiceTier tier, TouchpointKind kind) =>
        _input.Settings.PlanFor(tier).FirstOrDefault(p => p.Kind == kind)?.Template
        ?? TierModel.Tiers.SelectMany(_input.Settings.PlanFor).FirstOrDefault(p => p.Kind == kind)?.Template
        ?? kind switch
        {
            TouchpointKind.Review => ServiceSettings.ReviewTemplate,
            TouchpointKind.ActionItemReview => ServiceSettings.ActionItemReviewTemplate,
            _ => ServiceSettings.TopicTemplate,
        };

    /// <summary>Minutes each person can work per month: business days not away, times productive hours.</summary>
    private double[] Availability()
    {
        var calendar = _input.Calendar;
        var business = new List<LocalDate>[Months];
        for (var m = 0; m < Months; m++)
        {
            business[m] = [];
            var first = new LocalDate(_input.Year, m + 1, 1);
            for (var d = first; d.Month == m + 1; d = d.PlusDays(1))
            {
                if (calendar.IsBusinessDay(d))
                {
                    business[m].Add(d);
                }
            }

            _businessDays[m] = business[m].Count;
        }

        var minutesPerDay = _options.HoursPerDay * 60;
        var available = new double[People * Months];
        for (var p = 0; p < People; p++)
        {
            var absences = _input.People[p].Absences;
            for (var m = 0; m < Months; m++)
            {
                var days = absences.Count == 0 ? business[m].Count : business[m].Count(d => !absences.Any(a => a.Covers(d)));
                available[p * Months + m] = days * minutesPerDay;
            }
        }

        return available;
    }

    // ---- Output -----------------------------------------------------------------------------------

    private static double Hours(double minutes) => Math.Round(minutes / 60, 2);

    /// <summary>Minutes needed and available per role and month ([role * 12 + month]), unassigned work included in needed.</summary>
    private (double[] Needed, double[] Available) RoleMinutes(Demand demand)
    {
        var roles = RoleCount;
        var needed = new double[roles * Months];
        var available = new double[roles * Months];
        for (var m = 0; m < Months; m++)
        {
            for (var p = 0; p < People; p++)
            {
                var own = 0.0;
                for (var r = 0; r < roles; r++)
                {
                    own += demand.At(p, r, m);
                }

                var hours = _available[p * Months + m];
                if (own == 0)
                {
                    // No work this month: the person's hours stand ready for every role they hold, in equal parts.
                    foreach (var r in _held[p])
                    {
                        available[r * Months + m] += hours / _held[p].Length;
                    }

                    continue;
                }

                for (var r = 0; r < roles; r++)
                {
                    var need = demand.At(p, r, m);
                    needed[r * Months + m] += need;
                    available[r * Months + m] += hours * need / own;
                }
            }

            for (var r = 0; r < roles; r++)
            {
                needed[r * Months + m] += demand.At(People, r, m);
            }
        }

        return (needed, available);
    }

    /// <summary>Minutes needed per person and month ([person * 12 + month]).</summary>
    private double[] PersonMinutes(Demand demand)
    {
        var needed = new double[People * Months];
        for (var p = 0; p < People; p++)
        {
            for (var m = 0; m < Months; m++)
            {
                var need = 0.0;
                for (var r = 0; r < RoleCount; r++)
                {
                    need += demand.At(p, r, m);
                }

                needed[p * Months + m] = need;
            }
        }

        return needed;
    }

    private static List<Load> MonthLoads(double[] needed, double[] available, int row) =>
        Enumerable.Range(0, Months).Select(m => new Load(m + 1, Hours(needed[row * Months + m]), Hours(available[row * Months + m]))).ToList();

    private static Load YearLoad(double[] needed, double[] available, int row) =>
        new(null, Hours(Sum(needed, row)), Hours(Sum(available, row)));

    private static double Sum(double[] values, int row)
    {
        var sum = 0.0;
        for (var m = 0; m < Months; m++)
        {
            sum += values[row * Months + m];
        }

        return sum;
    }

    private int Holders(int role) => _held.Count(h => h.Contains(role));

    private string RoleName(int role) =>
        _input.Roles.FirstOrDefault(r => RoleKeys.Normalize(r.Key) == _roleKeys[role])?.Name ?? _roleKeys[role];

    private List<RoleLoad> RoleLoads(Demand demand)
    {
        var (needed, available) = RoleMinutes(demand);
        var result = new List<RoleLoad>();
        for (var r = 0; r < RoleCount; r++)
        {
            var holders = Holders(r);
            var year = YearLoad(needed, available, r);
            if (year.Needed == 0 && holders == 0)
            {
                continue;
            }

            var key = _roleKeys[r];
            var known = _input.Roles.FirstOrDefault(x => RoleKeys.Normalize(x.Key) == key);
            var clientService = known is null || known.Scope == RoleScope.Household;
            var unassigned = 0.0;
            for (var m = 0; m < Months; m++)
            {
                unassigned += demand.At(People, r, m);
            }

            var sources = new HoursBySource(Hours(demand.Sources[r * 3 + TouchpointSource]), Hours(demand.Sources[r * 3 + PeriodicSource]), Hours(demand.Sources[r * 3 + ContactSource]));
            result.Add(new RoleLoad(key, RoleName(r), holders, clientService && holders < CapacityPlan.MinimumHolders,
                MonthLoads(needed, available, r), year, Hours(unassigned), sources));
        }

        return result;
    }

    private List<PersonLoad> PersonLoads(Demand demand)
    {
        var needed = PersonMinutes(demand);
        return _input.People.Select((person, p) => new PersonLoad(
                person.Id, person.Handle, person.Name, person.Roles,
                MonthLoads(needed, _available, p), YearLoad(needed, _available, p)))
            .ToList();
    }

    /// <summary>The rows (roles or people) whose needed minutes differ in any month, before and after.</summary>
    private static IEnumerable<(int Row, List<LoadChange> Months, LoadChange Year)> Changes(
        int rows, double[] neededBefore, double[] availableBefore, double[] neededAfter, double[] availableAfter)
    {
        for (var row = 0; row < rows; row++)
        {
            var changed = false;
            for (var m = 0; m < Months && !changed; m++)
            {
                changed = Math.Abs(neededAfter[row * Months + m] - neededBefore[row * Months + m]) >= 0.3;
            }

            if (!changed)
            {
                continue;
            }

            var before = MonthLoads(neededBefore, availableBefore, row);
            var after = MonthLoads(neededAfter, availableAfter, row);
            var months = Enumerable.Range(0, Months)
                .Select(m => new LoadChange(m + 1, before[m], after[m], Hours(neededAfter[row * Months + m] - neededBefore[row * Months + m])))
                .ToList();
            var year = new LoadChange(null, YearLoad(neededBefore, availableBefore, row), YearLoad(neededAfter, availableAfter, row),
                Hours(Sum(neededAfter, row) - Sum(neededBefore, row)));
            yield return (row, months, year);
        }
    }

    private List<string> Notes(IReadOnlyList<RoleLoad> roles)
    {
        var notes = new List<string>();
        foreach (var template in _missingTemplates)
        {
            notes.Add($"The template \"{template}\" named in the service calendar is not in the library: its meetings count only the meeting itself.");
        }

        if (_withoutReviewMonth > 0)
        {
            notes.Add($"{Households(_withoutReviewMonth)} {Has(_withoutReviewMonth)} no review month yet: their meetings are spread evenly over the year.");
        }

        if (_fromStored > 0)
        {
            notes.Add($"{Households(_fromStored)} {Are(_fromStored)} planned from the touchpoints laid out for {_input.Year}.");
        }

        var unsegmented = _input.Households.Count(h => h.Tier == ServiceTier.Unsegmented);
        if (unsegmented > 0)
        {
            notes.Add($"{Households(unsegmented)} {Are(unsegmented)} unsegmented: no meetings or contact are planned for {(unsegmented == 1 ? "it" : "them")}.");
        }

        foreach (var role in roles.Where(r => r.Unassigned > 0))
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{role.Unassigned:0.##} h of {role.Name} work falls to no one: no team member or firm-level holder has the role."));
        }

        return notes;
    }
}
