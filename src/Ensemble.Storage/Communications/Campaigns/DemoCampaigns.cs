using Ensemble.Communications.Campaigns;
using NodaTime;

namespace Ensemble.Storage.Communications.Campaigns;

/// <summary>
/// The demo firm's campaigns: a saved audience of its A and B clients and a quarterly market commentary written by
/// David and waiting for a compliance reviewer (Omar or Elena), so the approval step can be tried at once; and the
/// approved standing replies to alerts (<see cref="DemoStandingMessages"/>).
/// </summary>
public static class DemoCampaigns
{
    public const string Audience = "A and B clients";

    private const string Body = """
        Dear {{ person.first_name | default: "client" }},

        Markets moved in both directions this quarter. Our view has not changed: a plan built for {{ household.name }} matters more than any one quarter's headlines.

        If anything in your life has changed, or you would like to go over your plan before our next meeting, reply to this message or call the office.

        With best regards,
        {{ advisor.name | default: firm.name }}
        {{ firm.name }}
        """;

    public static async Task AddAsync(EnsembleDb db, IClock clock, CancellationToken cancellationToken = default)
    {
        var saved = await new SavedAudiences(db, clock).SaveAsync(Audience, ["A", "B"], null, null, ["client"], "david", cancellationToken);
        if (!saved.IsSuccess)
        {
            throw new InvalidOperationException(saved.Error!.Message);
        }

        var book = new CampaignBook(db, clock);
        var created = await book.CreateAsync(
            new CampaignInput("Quarterly market commentary", "commentary", "Your quarterly letter from {{ firm.name }}", Body, SavedAudience: Audience),
            "david", cancellationToken);
        var submitted = created.IsSuccess ? await book.SubmitAsync(created.Value.Id, "david", cancellationToken: cancellationToken) : created;
        if (!submitted.IsSuccess)
        {
            throw new InvalidOperationException(submitted.Error!.Message);
        }

        await DemoStandingMessages.AddAsync(book, cancellationToken);
    }
}
