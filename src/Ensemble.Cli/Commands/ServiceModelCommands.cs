using System.CommandLine;
using Ensemble.Storage.ServiceModel;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble service-model: the firm's tier model, yearly calendar, meeting limits, contact frequency and topics as one editable document.</summary>
internal static class ServiceModelCommands
{
    public static Command Build()
    {
        var output = new Option<string?>("--out") { Description = "Write the document to this file instead of the screen." };
        var show = new Command("show", "Print the service model in force (JSON); edit it and load it back with `service-model set`.") { output };
        Runner.WithFirm(show, async (parse, session, db, cancellationToken) =>
        {
            var text = ServiceSettingsStore.Serialize(await ServiceSettingsStore.GetAsync(db, cancellationToken));
            if (parse.GetValue(output) is { } path)
            {
                await File.WriteAllTextAsync(path, text + Environment.NewLine, cancellationToken);
                Output.Success($"Wrote the service model to {path}.");
            }
            else
            {
                Console.WriteLine(text);
            }

            return Output.Ok;
        });

        var file = new Argument<string>("file") { Description = "A service model document, as `service-model show` writes it." };
        var set = new Command("set", "Check a service model document as a whole and, if it is valid, make it the firm's (audited). Tiers are then recomputed.") { file };
        Runner.WithFirm(set, async (parse, session, db, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                return Output.Fail($"{path}: no such file.");
            }

            var read = ServiceSettingsStore.Read(await File.ReadAllTextAsync(path, cancellationToken), Path.GetFileName(path));
            if (!read.IsSuccess)
            {
                return Output.Fail(read.Error!);
            }

            db.Actor = session.Actor;
            db.Operation = "set-service-model";
            var saved = await ServiceSettingsStore.SaveAsync(db, read.Value, cancellationToken);
            if (!saved.IsSuccess)
            {
                return Output.Fail(saved.Error!);
            }

            var report = await new TierBook(db, session.Clock).RecomputeAsync(null, session.Actor, cancellationToken);
            Output.Success($"Service model saved. Tiers recomputed: {report.Moved} households moved (see `ensemble tiers changes`).");
            return Output.Ok;
        });

        return new Command("service-model", "The firm's service model: tier thresholds, yearly touchpoints per tier, meeting limits, contact frequency and topics.") { show, set };
    }
}
