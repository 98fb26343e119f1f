using NodaTime;

namespace Ensemble.Storage.Advisory.FollowUps;

/// <summary>What one run of the follow-up runner did.</summary>
/// <param name="Ran">False when another run held the lease (or there was nothing to do) and this one did nothing.</param>
/// <param name="Decided">Alerts that got their follow-up in this run.</param>
/// <param name="TasksStarted">Processes started within people's noise budgets (or for a role no one holds).</param>
/// <param name="ToDigest">Follow-up tasks over a person's budget, put in their digest for the day.</param>
/// <param name="OnAgenda">Points added to the agenda of a household's next scheduled meeting.</param>
/// <param name="QueuedForClient">Messages queued for delivery to clients by their channel.</param>
/// <param name="Done">Follow-ups closed as done (their process finished, their meeting was held).</param>
/// <param name="Cancelled">Follow-ups cancelled (their alert was resolved first, or their meeting cancelled with none other scheduled).</param>
/// <param name="Errors">What could not be carried out, and why (a template missing, a household the engine refused).</param>
/// <param name="Escalated">Follow-ups waiting passively whose alert became urgent, decided again from its new place.</param>
/// <param name="ToCalls">Client messages that could not go by their channel (no address, a bounce) and became calls.</param>
public sealed record FollowUpRunReport(
    LocalDate Day, bool Ran, int Decided, int TasksStarted, int ToDigest, int OnAgenda, int QueuedForClient, int Done, int Cancelled, IReadOnlyList<string> Errors,
    int Escalated = 0, int ToCalls = 0)
{
    public static FollowUpRunReport Idle(LocalDate day, bool ran) => new(day, ran, 0, 0, 0, 0, 0, 0, 0, []);

    public string Summary => !Ran
        ? "Follow-ups: another run is under way; this one did nothing."
        : $"Follow-ups: {Decided:#,0} alerts decided; {TasksStarted:#,0} tasks started, {ToDigest:#,0} into digests (over the daily budget), "
          + $"{OnAgenda:#,0} added to meeting agendas, {QueuedForClient:#,0} messages queued for delivery"
          + (ToCalls > 0 ? $", {ToCalls:#,0} messages that could not go turned into calls" : "")
          + $"; {Done:#,0} done, {Cancelled:#,0} cancelled"
          + (Escalated > 0 ? $", {Escalated:#,0} decided again as their alert became urgent." : ".")
          + (Errors.Count > 0 ? $" {Errors.Count} could not be carried out: {string.Join(" ", Errors.Distinct().Take(3))}" : "");
}
