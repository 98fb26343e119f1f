using System.CommandLine;
using Ensemble.ServiceModel;
using Ensemble.Storage.Households;
using Ensemble.Storage.Work;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble tiers explain: which A/B/C tier a household's facts give, criterion by criterion.</summary>
internal static class TierCommands
{
    public static Command Build()
    {
        var key = new Argument<string>("household") { Description = "The household's key, e.g. HH-1001." };
        var explain = new Command("explain", "Show each of the eight criteria, its value and the tiers it supports, and the tier that follows (default model: 5 of 8).") { key };
        Runner.WithFirm(explain, async (parse, session, db, cancellationToken) =>
        {
            var household = await new HouseholdDirectory(db, session.Clock).FindAsync(parse.GetValue(key)!, cancellationToken);
            if (household is null)
            {
                return Output.Fail(Common.Error.NotFound($"There is no household {parse.GetValue(key)}."));
            }

            var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(session.Clock);
            var decision = Tiering.Decide(household.Facts(today), TierModel.Default);
            Output.Success($"{household.Name} ({household.Key}): {decision.TierName}");
            foreach (var line in decision.Explain())
            {
                Output.Line("  " + line);
            }

            return Output.Ok;
        });

        return new Command("tiers", "The A/B/C service tiers.") { explain };
    }
}
