using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Work;

/// <summary>A person's page of open work (<see cref="TaskViews.ForStaffAsync"/>), which each person's "my work" reads on every visit.</summary>
public sealed class MyWorkPageTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task EachPersonsPage_ShowsTheirOwnOpenWork_WhicheverPageWasReadBefore(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        var work = new WorkService(s.Db, s.Clock);
        await work.StartAsync("account-review", s.Household, new Dictionary<string, LocalDate>(), "carol");
        var gather = (await s.TasksAsync()).Single();
        var views = new TaskViews(s.Db);

        Assert.Equal([gather.Id], (await views.ForStaffAsync(s.Staff["carol"])).Select(t => t.Id));
        Assert.Empty(await views.ForStaffAsync(s.Staff["alice"]));

        Assert.True((await work.CompleteAsync(gather.Id, "carol")).IsSuccess);

        var alices = await views.ForStaffAsync(s.Staff["alice"]);
        Assert.Equal("analyse", (await s.TasksAsync()).Single(t => t.Id == Assert.Single(alices).Id).StepKey);
        Assert.Equal("alice", alices[0].Assignee);
        Assert.DoesNotContain(await views.ForStaffAsync(s.Staff["carol"]), t => t.Id == gather.Id);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task APageOfAnySize_IsTheStartOfTheWholeList(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        var work = new WorkService(s.Db, s.Clock);
        for (var started = 0; started < 7; started++)
        {
            Assert.True((await work.StartAsync("account-review", s.Household, new Dictionary<string, LocalDate>(), "carol")).IsSuccess);
        }

        var views = new TaskViews(s.Db);
        var whole = (await views.ForStaffAsync(s.Staff["carol"])).Select(t => t.Id).ToList();
        Assert.Equal(7, whole.Count);
        foreach (var limit in new[] { 1, 2, 6, 7, 51 })
        {
            Assert.Equal(whole.Take(limit), (await views.ForStaffAsync(s.Staff["carol"], limit)).Select(t => t.Id));
        }
    }

    [Fact]
    public async Task OnPostgres_APersonsPage_IsPreparedWithoutParameters_SoItIsPlannedOnceNotOnEveryVisit()
    {
        await using var s = await PracticeScenario.CreateAsync(StorageProvider.PostgreSql, Templates.File(Templates.AccountReview));
        await new WorkService(s.Db, s.Clock).StartAsync("account-review", s.Household, new Dictionary<string, LocalDate>(), "carol");
        await using var db = s.OpenAnother();

        // Held in a transaction, the visits share one server session (a multiplexing connection would spread them).
        await using var session = await db.Database.BeginTransactionAsync();
        for (var visit = 0; visit < 10; visit++)
        {
            Assert.Single(await new TaskViews(db).ForStaffAsync(s.Staff["carol"], limit: 50));
        }

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = """
            SELECT cardinality(parameter_types), generic_plans, custom_plans FROM pg_prepared_statements
            WHERE statement LIKE '%FROM work_tasks%' AND statement LIKE '%assignee_id%'
            """;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "The page should be prepared on the server once it is read again and again.");
        Assert.Equal(0, reader.GetInt32(0));
        Assert.True(reader.GetInt64(1) >= 1);
        Assert.Equal(0L, reader.GetInt64(2));
    }
}
