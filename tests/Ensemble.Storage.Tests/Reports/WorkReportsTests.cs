using Ensemble.Processes.Running;
using Ensemble.Storage.Reports;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using NodaTime;

namespace Ensemble.Storage.Tests.Reports;

public sealed class WorkReportsTests
{
    /// <summary>Nobody in the scenario holds operations-specialist, so its work waits unassigned.</summary>
    private const string Paperwork = """
        key: custodian-paperwork
        name: Custodian Paperwork
        category: service-requests
        description: Files forms with the custodian.
        owner: operations-specialist
        steps:
          - key: file
            title: File the forms
            role: operations-specialist
            due: 1 business day after start
        """;

    private static readonly Dictionary<string, LocalDate> NoAnchors = [];

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Overdue_CountsOpenLateWork_PerRoleAndPerson_WithTheOldestDueDate(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider,
            Templates.File(Templates.AccountReview), Templates.File(Templates.MeetingPrep), Templates.File(Templates.Introduction), Templates.File(Paperwork));
        var work = new WorkService(s.Db, s.Clock);
        await work.StartAsync("account-review", s.Household, NoAnchors, "carol");      // carol, due Fri 27 Nov
        await work.StartAsync("custodian-paperwork", s.Household, NoAnchors, "carol");  // queue, due Wed 25 Nov
        foreach (var meeting in new LocalDate[] { new(2026, 12, 7), new(2026, 12, 10), new(2026, 12, 15) })
        {
            await work.StartAsync("meeting-prep", s.Household, new Dictionary<string, LocalDate> { ["meeting"] = meeting }, "dan"); // alice, due 30 Nov, 3 Dec, 8 Dec
        }

        await work.StartAsync("introduction", s.Household, NoAnchors, "dan");
        var tasks = await s.TasksAsync();
        Assert.True((await work.BeginAsync(tasks.Single(t => t.DueOn == new LocalDate(2026, 12, 3)).Id, "alice")).IsSuccess);
        Assert.True((await work.CompleteAsync(tasks.Single(t => t.StepKey == "call").Id, "dan")).IsSuccess);

        var rows = await new WorkReports(s.Db).OverdueAsync(new LocalDate(2026, 12, 8));

        // Due today is not yet late; done work is never late.
        Assert.Equal(
            [
                new OverdueRow("client-service-associate", "carol", "Carol", 1, new LocalDate(2026, 11, 27)),
                new OverdueRow("operations-specialist", null, null, 1, new LocalDate(2026, 11, 25)),
                new OverdueRow("paraplanner", "alice", "Alice", 2, new LocalDate(2026, 11, 30)),
            ],
            rows);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task OpenByStep_CountsOpenAndFlaggedWorkPerStep_LargestPileFirst(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        var work = new WorkService(s.Db, s.Clock);
        for (var n = 0; n < 3; n++)
        {
            await work.StartAsync("account-review", s.Household, NoAnchors, "carol");
            s.Clock.Advance(Duration.FromHours(1));
        }

        // Completing the first gather opens analyse (due Wed 25 Nov) and large-case (due Mon 30 Nov).
        Assert.True((await work.CompleteAsync((await s.TasksAsync()).First().Id, "carol")).IsSuccess);
        s.Clock.Advance(Duration.FromDays(4) - Duration.FromHours(3)); // Saturday 28 November
        await new Sweep(s.Db, s.Clock).RunAsync();

        var rows = await new WorkReports(s.Db).OpenByStepAsync();

        var finished = PracticeScenario.Start + Duration.FromHours(3);
        Assert.Equal(
            [
                new StepBacklogRow("account-review", "Account Review", "gather", "Gather statements", 2, 2, PracticeScenario.Start + Duration.FromHours(1)),
                new StepBacklogRow("account-review", "Account Review", "analyse", "Analyse holdings", 1, 1, finished),
                new StepBacklogRow("account-review", "Account Review", "large-case", "Large-case sign-off", 1, 0, finished),
            ],
            rows);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TimePerStep_GivesNearestRankMedianAndP90_OfDoneWorkSinceTheCutoff(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.Introduction), Templates.File(Templates.AccountReview));
        var work = new WorkService(s.Db, s.Clock);
        await work.StartAsync("introduction", s.Household, NoAnchors, "dan");
        s.Clock.Advance(Duration.FromMinutes(30));
        await work.CompleteAsync((await s.TasksAsync()).Single().Id, "dan"); // done before the cutoff
        s.Clock.Advance(Duration.FromMinutes(30));
        var since = s.Clock.GetCurrentInstant();

        for (var n = 0; n < 5; n++)
        {
            await work.StartAsync("introduction", s.Household, NoAnchors, "dan");
        }

        var cancelled = await work.StartAsync("introduction", s.Household, NoAnchors, "dan");
        await work.StartAsync("account-review", s.Household, NoAnchors, "carol");
        Assert.True((await work.CancelAsync(cancelled.Value.Instance.Id, "dan", "Client withdrew")).IsSuccess);
        var tasks = await s.TasksAsync();
        var calls = tasks.Where(t => t.StepKey == "call" && t.IsOpen).Select(t => t.Id).ToList();

        // Calls take 1, 2, 3, 4 and 10 hours; the gather takes 1 hour.
        foreach (var (call, hours) in calls.Zip(new[] { 1, 1, 1, 1, 6 }))
        {
            s.Clock.Advance(Duration.FromHours(hours));
            Assert.True((await work.CompleteAsync(call, "dan")).IsSuccess);
            if (call == calls[0])
            {
                Assert.True((await work.CompleteAsync(tasks.Single(t => t.StepKey == "gather").Id, "carol")).IsSuccess);
            }
        }

        var rows = await new WorkReports(s.Db).TimePerStepAsync(since);

        Assert.Equal(
            [
                new StepTimeRow("account-review", "gather", "Gather statements", 1, Duration.FromHours(1), Duration.FromHours(1)),
                new StepTimeRow("introduction", "call", "Introductory call", 5, Duration.FromHours(3), Duration.FromHours(10)),
            ],
            rows);
    }

    [Fact]
    public void NearestRank_IsAlwaysAnObservedValue_TheLowerMiddleForAnEvenCount()
    {
        var sorted = new[] { 1, 2, 3, 4 }.Select(h => Duration.FromHours(h)).ToList();

        Assert.Equal(Duration.FromHours(2), WorkReports.NearestRank(sorted, 50));
        Assert.Equal(Duration.FromHours(4), WorkReports.NearestRank(sorted, 90));
        Assert.Equal(Duration.FromHours(1), WorkReports.NearestRank(sorted, 0));
    }

    [Fact]
    public void Csv_WritesAHeaderAndOneLinePerRow_WithIsoDatesAndHoursToOneDecimal()
    {
        var overdue = new StringWriter();
        ReportCsv.WriteOverdue(overdue,
        [
            new OverdueRow("paraplanner", "alice", "Alice", 2, new LocalDate(2026, 11, 30)),
            new OverdueRow("operations-specialist", null, null, 1, new LocalDate(2026, 11, 25)),
        ]);
        var backlog = new StringWriter();
        // 03:00 UTC on 25 November is still the 24th in New York.
        ReportCsv.WriteOpenBySteps(backlog,
            [new StepBacklogRow("account-review", "Account Review", "gather", "Gather, then file", 2, 1, Instant.FromUtc(2026, 11, 25, 3, 0))],
            DateTimeZoneProviders.Tzdb["America/New_York"]);
        var times = new StringWriter();
        ReportCsv.WriteTimePerStep(times, [new StepTimeRow("introduction", "call", "Introductory call", 5, Duration.FromMinutes(90), Duration.FromMinutes(605))]);

        Assert.Equal(["Role,Person,Overdue tasks,Oldest due date", "paraplanner,Alice,2,2026-11-30", "operations-specialist,(unassigned),1,2026-11-25"], Lines(overdue));
        Assert.Equal(["Process,Process name,Step,Step title,Open tasks,Overdue tasks,Waiting since", "account-review,Account Review,gather,\"Gather, then file\",2,1,2026-11-24"], Lines(backlog));
        Assert.Equal(["Process,Step,Step title,Done tasks,Median hours,90th percentile hours", "introduction,call,Introductory call,5,1.5,10.1"], Lines(times));
    }

    private static string[] Lines(StringWriter writer) =>
        writer.ToString().Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
}
