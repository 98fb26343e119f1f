using Ensemble.Households;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Demo;

/// <summary>
/// Gives the demo firm's clients something to mark in the coming weeks: birthdays (two of them milestones),
/// wedding anniversaries for the couples, and two life events, then plans the next fortnight's contacts so
/// the wealth partners, advisors and coordinators find them on their lists. Deterministic: chosen by position.
/// </summary>
public static class DemoContacts
{
    public static async Task AddAsync(EnsembleDb db, IClock clock, string actor, CancellationToken cancellationToken = default)
    {
        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        db.ChangeTracker.Clear();
        db.Actor = actor;
        db.Operation = "demo-occasions";
        var clients = await db.Households.Include(h => h.Members)
            .Where(h => h.Stage == LifecycleStage.Client)
            .OrderBy(h => h.Id)
            .ToListAsync(cancellationToken);
        for (var i = 0; i < clients.Count; i++)
        {
            var household = clients[i];
            if (i % 10 == 0 && household.PrimaryMember is { BirthDate: { } born } primary)
            {
                // Their birthday falls within the next three weeks; the first two turn 60 and 50.
                var day = today.PlusDays(1 + (i / 10 % 20));
                var age = i == 0 ? 60 : i == 10 ? 50 : primary.AgeOn(today) ?? (today.Year - born.Year);
                household.UpsertMember(primary.ExternalId, primary.FirstName, primary.LastName, day.PlusYears(-age), primary.Relationship, primary.Email);
            }

            if (household.Members.Any(m => m.Relationship == Relationship.Spouse))
            {
                // Married 5 to 40 years ago; every eighth couple's anniversary is in the coming weeks.
                var years = 5 + (i * 7 % 36);
                var day = i % 8 == 3 ? today.PlusDays(2 + (i % 19)) : today.PlusDays(30 + (i * 11 % 300));
                household.SetMarriedOn(day.PlusYears(-years));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        db.Operation = null;

        var planner = new ContactPlanner(db, clock);
        if (clients.Count > 2)
        {
            var retiring = clients[1];
            await planner.RecordLifeEventAsync(retiring.Id, LifeEventKind.Retirement, today.PlusDays(10), retiring.PrimaryMember?.ExternalId,
                "Last day at the hospital after 31 years", actor, cancellationToken);
            var grandparents = clients[2];
            await planner.RecordLifeEventAsync(grandparents.Id, LifeEventKind.NewGrandchild, today.PlusDays(-3), null,
                "First grandchild, a girl", actor, cancellationToken);
        }

        await planner.PlanAsync(ContactPlanner.DefaultDays, actor, cancellationToken: cancellationToken);
    }
}
