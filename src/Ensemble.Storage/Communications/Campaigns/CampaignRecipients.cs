using System.Globalization;
using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Communications.Campaigns;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications.Campaigns;

/// <summary>A household's member as recipient planning reads it.</summary>
internal sealed record MemberRow(long Household, long Id, string FirstName, string LastName, string Relationship, string? Email);

/// <summary>One advisor role on a household's team.</summary>
internal sealed record TeamRow(long Household, string RoleKey, long StaffId);

/// <summary>One household of an audience, planned (channel and address) and, when the templates check, rendered.</summary>
internal sealed record PlannedRecipient(AudienceHousehold Household, RecipientPlan Plan, RenderedMessage? Message, IReadOnlyList<RecipientIssue> Issues)
{
    public bool Deliverable => Plan.Channel is not null && Issues.All(i => !i.Blocking);

    public RecipientLine Line() => new(
        Household.Id.Value, Household.Key, Household.Name, Household.Tier.ToString(), Household.Stage, Plan.Channel?.Name(), Plan.RecipientName, Plan.Address,
        Deliverable, Issues.Select(i => new RecipientIssueView(Kind(i.Kind), i.Message, i.Blocking)).ToList());

    private static string Kind(RecipientIssueKind kind) => kind switch
    {
        RecipientIssueKind.DoNotContact => "do-not-contact",
        RecipientIssueKind.InvalidAddress => "invalid-address",
        RecipientIssueKind.MissingMergeField => "missing-fields",
        RecipientIssueKind.PreferredChannelUnusable => "preferred-channel-unusable",
        _ => "subject-too-long",
    };
}

/// <summary>
/// Who a campaign reaches and what each recipient gets: the audience read once, then households planned and rendered
/// in chunks of <see cref="ChunkSize"/> (their primary members and advisors read a chunk at a time), with the templates
/// parsed once for the whole run. Used for the audience count and list, the missing-fields list, one household's
/// preview, and by <see cref="CampaignSender"/> to queue the messages.
/// </summary>
public sealed class CampaignRecipients(EnsembleDb db, IClock clock)
{
    public const int ChunkSize = 2_000;

    /// <summary>Outbox subjects hold at most this many characters.</summary>
    public const int SubjectLimit = 500;

    private static readonly string[] AdvisorRoles = [RoleKeys.WealthPartner, RoleKeys.FinancialAdvisor];

    /// <summary>
    /// The campaign's audience as it stands now: counts for everyone, and a page of recipients in the households the
    /// caller may see (<paramref name="visible"/> null: all). With <paramref name="onlyIssues"/>, only recipients with
    /// something in the way: a missing merge field, an invalid address, an unusable preferred channel.
    /// </summary>
    public async Task<AudienceSummary?> SummarizeAsync(
        CampaignId id, IReadOnlySet<long>? visible, bool onlyIssues, int limit, int offset, CancellationToken cancellationToken = default) =>
        (await OverviewAsync(id, visible, onlyIssues, limit, offset, 0, cancellationToken))?.Summary;

    /// <summary>
    /// One pass over the audience giving both the summary (with a page of recipients, or of recipients with issues)
    /// and, up to <paramref name="issuesLimit"/>, the visible recipients with something in the way.
    /// </summary>
    public async Task<(AudienceSummary Summary, IReadOnlyList<RecipientLine> Issues)?> OverviewAsync(
        CampaignId id, IReadOnlySet<long>? visible, bool onlyIssues, int limit, int offset, int issuesLimit, CancellationToken cancellationToken = default)
    {
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (campaign is null)
        {
            return null;
        }

        var run = await StartAsync(campaign, cancellationToken);
        var audience = await AudienceHouseholds.MatchingAsync(db, campaign.Audience, run.Today, cancellationToken);
        int deliverable = 0, email = 0, letter = 0, portal = 0, doNotContact = 0, invalid = 0, missing = 0, warnings = 0, hidden = 0, listed = 0;
        var page = new List<RecipientLine>();
        var issues = new List<RecipientLine>();
        foreach (var chunk in audience.Chunk(ChunkSize))
        {
            foreach (var r in await run.PlanAsync(chunk, cancellationToken))
            {
                deliverable += r.Deliverable ? 1 : 0;
                email += r.Deliverable && r.Plan.Channel == DeliveryChannel.Email ? 1 : 0;
                letter += r.Deliverable && r.Plan.Channel == DeliveryChannel.Letter ? 1 : 0;
                portal += r.Deliverable && r.Plan.Channel == DeliveryChannel.Portal ? 1 : 0;
                doNotContact += r.Plan.IsDoNotContact ? 1 : 0;
                invalid += r.Issues.Any(i => i.Kind == RecipientIssueKind.InvalidAddress) ? 1 : 0;
                missing += r.Issues.Any(i => i.Kind is RecipientIssueKind.MissingMergeField or RecipientIssueKind.SubjectTooLong) ? 1 : 0;
                warnings += r.Issues.Any(i => !i.Blocking) ? 1 : 0;
                var hasIssues = r.Issues.Count > 0 && !r.Plan.IsDoNotContact;
                if (visible is not null && !visible.Contains(r.Household.Id.Value))
                {
                    hidden += !onlyIssues || hasIssues ? 1 : 0;
                    continue;
                }

                if (hasIssues && issues.Count < issuesLimit)
                {
                    issues.Add(r.Line());
                }

                if ((!onlyIssues || hasIssues) && listed++ >= offset && page.Count <= limit)
                {
                    page.Add(r.Line());
                }
            }
        }

        var summary = new AudienceSummary(
            campaign.Audience.Describe(), audience.Count, deliverable, email, letter, portal, doNotContact, invalid, missing, warnings, hidden,
            run.Message is not null, page.Take(limit).ToList(), offset, limit, page.Count > limit);
        return (summary, issues);
    }

    /// <summary>One household's message as it would go out now, whether or not the household is in the audience.</summary>
    public async Task<RecipientPreview?> PreviewAsync(CampaignId id, HouseholdId household, CancellationToken cancellationToken = default)
    {
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (campaign is null)
        {
            return null;
        }

        var run = await StartAsync(campaign, cancellationToken);
        var one = await AudienceHouseholds.OneAsync(db, household, run.Today, cancellationToken);
        if (one is null)
        {
            return null;
        }

        var planned = (await run.PlanAsync([one], cancellationToken)).Single();
        var inAudience = await AudienceHouseholds.ContainsAsync(db, campaign.Audience, one, cancellationToken);
        return new RecipientPreview(planned.Line(), inAudience, planned.Message?.Subject, planned.Message?.TextBody, planned.Message?.HtmlBody, run.Problems);
    }

    /// <summary>Reads what every recipient's rendering shares: the firm, today, the parsed templates and the staff.</summary>
    internal async Task<Run> StartAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var now = clock.GetCurrentInstant();
        var today = now.InZone(firm.Zone).Date;
        var (message, problems) = CompiledMessage.Compile(campaign.Subject, campaign.Body, campaign.Deadline is not null, now.ToDateTimeOffset());
        var staff = await db.Staff.AsNoTracking().Select(s => new { s.Id, s.Name, s.Email, s.Active }).ToDictionaryAsync(s => s.Id, s => (s.Name, s.Email, s.Active), cancellationToken);
        return new Run(db, firm.Name, today, message, problems, campaign.Deadline is { } d ? Written(d) : null, staff);
    }

    internal static string Written(LocalDate date) => date.ToString("MMMM d, uuuu", CultureInfo.InvariantCulture);

    /// <summary>One pass over an audience with its templates parsed once.</summary>
    internal sealed class Run(
        EnsembleDb db, string firmName, LocalDate today, CompiledMessage? message, IReadOnlyList<CampaignProblem> problems, string? deadline,
        IReadOnlyDictionary<StaffId, (string Name, string Email, bool Active)> staff)
    {
        private readonly string _today = Written(today);

        public LocalDate Today => today;

        /// <summary>Null when the templates do not check; then nothing can be rendered or sent.</summary>
        public CompiledMessage? Message => message;

        public IReadOnlyList<CampaignProblem> Problems => problems;

        public async Task<List<PlannedRecipient>> PlanAsync(IReadOnlyList<AudienceHousehold> chunk, CancellationToken cancellationToken)
        {
            var primary = await PrimaryMembersAsync(chunk, cancellationToken);
            var advisors = await AdvisorsAsync(chunk, cancellationToken);
            var plans = new RecipientPlan[chunk.Count];
            var values = new MergeValues?[chunk.Count];
            for (var i = 0; i < chunk.Count; i++)
            {
                var h = chunk[i];
                var person = primary.GetValueOrDefault(h.Id);
                var name = person is null ? null : $"{person.FirstName} {person.LastName}".Trim();
                var plan = RecipientPlanner.Plan(new RecipientFacts(h.Id, h.Key, h.Name, h.DoNotContact, h.PreferredChannels, h.MailingAddress, name, person?.Email), EmailAddresses.IsValid);
                plans[i] = plan;
                if (!plan.IsDoNotContact && message is not null)
                {
                    var advisor = advisors.TryGetValue(h.Id, out var a) ? a : default((string Name, string Email, bool Active)?);
                    values[i] = new MergeValues(
                        h.Name, h.Key, h.Tier.ToString(), Blank(person?.FirstName), Blank(person?.LastName), Blank(person?.Email),
                        advisor?.Name, Blank(advisor?.Email), firmName, _today, deadline);
                }
            }

            // Rendering is pure and the templates are shared read-only: a large chunk renders on every core.
            var rendered = new RenderedMessage?[chunk.Count];
            if (chunk.Count >= 256)
            {
                Parallel.For(0, chunk.Count, i => rendered[i] = values[i] is { } v ? message!.Render(v) : null);
            }
            else
            {
                for (var i = 0; i < chunk.Count; i++)
                {
                    rendered[i] = values[i] is { } v ? message!.Render(v) : null;
                }
            }

            var planned = new List<PlannedRecipient>(chunk.Count);
            for (var i = 0; i < chunk.Count; i++)
            {
                var issues = plans[i].Issues.ToList();
                if (rendered[i] is { } r)
                {
                    if (!r.IsComplete)
                    {
                        issues.Add(new RecipientIssue(RecipientIssueKind.MissingMergeField,
                            $"No value for {string.Join(", ", r.MissingFields)}: held back; fill it in on the household or give the field a default."));
                    }

                    if (r.Subject.Length > SubjectLimit)
                    {
                        issues.Add(new RecipientIssue(RecipientIssueKind.SubjectTooLong, $"The subject comes to {r.Subject.Length} characters here; at most {SubjectLimit} fit."));
                    }
                }

                planned.Add(new PlannedRecipient(chunk[i], plans[i], rendered[i], issues));
            }

            return planned;
        }

        /// <summary>
        /// Each household's primary member (the one marked primary, else the first). A chunk of neighbouring ids is read
        /// as one range of the index; a scattered one by its ids.
        /// </summary>
        private async Task<Dictionary<HouseholdId, MemberRow>> PrimaryMembersAsync(IReadOnlyList<AudienceHousehold> chunk, CancellationToken cancellationToken)
        {
            var wanted = chunk.Select(h => h.Id).ToHashSet();
            List<MemberRow> rows;
            if (Dense(chunk, out var low, out var high))
            {
                rows = await db.Database.SqlQuery<MemberRow>(
                        $"SELECT household_id AS household, id, first_name, last_name, relationship, email FROM members WHERE household_id BETWEEN {low} AND {high}")
                    .ToListAsync(cancellationToken);
            }
            else
            {
                var ids = wanted.ToList();
                rows = (await db.Members.AsNoTracking()
                        .Where(m => ids.Contains(EF.Property<HouseholdId>(m, "HouseholdId")))
                        .Select(m => new { Household = EF.Property<HouseholdId>(m, "HouseholdId"), m.Id, m.FirstName, m.LastName, m.Relationship, m.Email })
                        .ToListAsync(cancellationToken))
                    .Select(m => new MemberRow(m.Household.Value, m.Id, m.FirstName, m.LastName, m.Relationship.ToString(), m.Email))
                    .ToList();
            }

            return rows
                .Where(m => wanted.Contains(new HouseholdId(m.Household)))
                .GroupBy(m => new HouseholdId(m.Household))
                .ToDictionary(g => g.Key, g => g.OrderBy(m => m.Relationship == nameof(Relationship.Primary) ? 0 : 1).ThenBy(m => m.Id).First());
        }

        /// <summary>Each household's wealth partner, else its financial advisor, among active staff.</summary>
        private async Task<Dictionary<HouseholdId, (string Name, string Email, bool Active)>> AdvisorsAsync(IReadOnlyList<AudienceHousehold> chunk, CancellationToken cancellationToken)
        {
            var wanted = chunk.Select(h => h.Id).ToHashSet();
            List<TeamRow> rows;
            if (Dense(chunk, out var low, out var high))
            {
                rows = await db.Database.SqlQuery<TeamRow>(
                        $"SELECT household_id AS household, role_key, staff_id FROM team_assignments WHERE household_id BETWEEN {low} AND {high} AND role_key IN ({AdvisorRoles[0]}, {AdvisorRoles[1]})")
                    .ToListAsync(cancellationToken);
            }
            else
            {
                var ids = wanted.Select(h => (HouseholdId?)h).ToList();
                rows = (await db.TeamAssignments.AsNoTracking()
                        .Where(a => ids.Contains(a.HouseholdId) && AdvisorRoles.Contains(a.RoleKey))
                        .Select(a => new { a.HouseholdId, a.RoleKey, a.StaffId })
                        .ToListAsync(cancellationToken))
                    .Select(a => new TeamRow(a.HouseholdId!.Value.Value, a.RoleKey, a.StaffId.Value))
                    .ToList();
            }

            return rows
                .Where(a => wanted.Contains(new HouseholdId(a.Household)) && staff.TryGetValue(new StaffId(a.StaffId), out var s) && s.Active)
                .GroupBy(a => new HouseholdId(a.Household))
                .ToDictionary(g => g.Key, g => staff[new StaffId(g.OrderBy(a => Array.IndexOf(AdvisorRoles, a.RoleKey)).First().StaffId)]);
        }

        /// <summary>Whether a chunk's ids lie close together, so reading their id range costs little more than reading them.</summary>
        private static bool Dense(IReadOnlyList<AudienceHousehold> chunk, out long low, out long high)
        {
            low = chunk.Min(h => h.Id.Value);
            high = chunk.Max(h => h.Id.Value);
            return chunk.Count >= 64 && high - low < 4L * chunk.Count;
        }

        private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}
