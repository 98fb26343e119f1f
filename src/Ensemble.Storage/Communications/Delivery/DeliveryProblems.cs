using System.Globalization;
using Ensemble.Communications;
using Ensemble.Storage.Advisory.FollowUps;
using Ensemble.Storage.Work;
using NodaTime;

namespace Ensemble.Storage.Communications.Delivery;

/// <summary>
/// A message that failed or bounced gives the household's client service associate a task (the built-in
/// <c>delivery-problem</c> process), once per message: the start carries the trigger key <c>delivery-problem:{id}</c>.
/// Messages to staff have no household and only stay visible as failed in the outbox.
/// </summary>
internal static class DeliveryProblems
{
    public const string TemplateKey = "delivery-problem";

    public static string TriggerKey(long outboxId) => $"delivery-problem:{outboxId.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<int> RaiseAsync(EnsembleDb db, IClock clock, IReadOnlyCollection<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        var forClients = messages.Where(m => m.HouseholdId is not null).ToList();
        if (forClients.Count == 0)
        {
            return 0;
        }

        var template = await new FollowUpTasks(db, clock).TemplateAsync(TemplateKey, "ensemble", cancellationToken);
        if (!template.IsSuccess)
        {
            return 0;
        }

        var started = 0;
        var work = new WorkService(db, clock);
        foreach (var message in forClients)
        {
            var result = await work.StartAsync(TemplateKey, message.HouseholdId, new Dictionary<string, LocalDate>(), "ensemble", TriggerKey(message.Id), cancellationToken);
            db.ChangeTracker.Clear();
            started += result.IsSuccess ? 1 : 0;
        }

        return started;
    }
}
