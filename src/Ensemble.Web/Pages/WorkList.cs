using Ensemble.Storage.Work;
using NodaTime;

namespace Ensemble.Web.Pages;

/// <summary>A person's open work in the groups a Monday morning needs: overdue, today, the next two weeks, later.</summary>
public sealed record WorkList(LocalDate Today, IReadOnlyList<WorkList.Section> Sections, string? Message, int Total)
{
    public sealed record Section(string Id, string Heading, IReadOnlyList<HouseholdGroup> Households, int Count);

    public sealed record HouseholdGroup(string? Key, string Name, IReadOnlyList<TaskView> Tasks);

    public static WorkList Of(IReadOnlyList<TaskView> tasks, LocalDate today, string? message)
    {
        var soon = today.PlusDays(14);
        Section Make(string id, string heading, Func<TaskView, bool> include)
        {
            var chosen = tasks.Where(include).ToList();
            var groups = chosen
                .GroupBy(t => t.HouseholdKey)
                .Select(g => new HouseholdGroup(g.Key, g.First().HouseholdName ?? "The firm", g.ToList()))
                .ToList();
            return new Section(id, heading, groups, chosen.Count);
        }

        return new WorkList(today,
            [
                Make("overdue", "Overdue", t => t.DueOn < today),
                Make("today", "Due today", t => t.DueOn == today),
                Make("upcoming", "Next two weeks", t => t.DueOn > today && t.DueOn <= soon),
                Make("later", "Later", t => t.DueOn is null || t.DueOn > soon),
            ],
            message,
            tasks.Count);
    }
}
