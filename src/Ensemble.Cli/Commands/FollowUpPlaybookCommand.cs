using System.CommandLine;
using Ensemble.Advisory.FollowUp;
using Ensemble.Storage.Advisory.FollowUps;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble follow-ups playbook: show each quadrant's playbook, or change one (audited).</summary>
internal static class FollowUpPlaybookCommand
{
    public static Command Build()
    {
        var quadrant = new Argument<string?>("quadrant") { Description = $"The quadrant: {FollowUpWords.QuadrantChoices}. Without one, every playbook is shown.", Arity = ArgumentArity.ZeroOrOne };
        var channels = new Option<string?>("--channels") { Description = $"Channels in the order to try them, separated by commas: {FollowUpWords.PlaybookChannelChoices}." };
        var action = new Option<string?>("--action") { Description = $"What is asked of the client: {FollowUpWords.ActionChoices}." };
        var caller = new Option<string?>("--caller") { Description = "The role that makes the call when the channel is a phone call (a role key, e.g. client-service-associate)." };
        var defaults = new Option<bool>("--defaults") { Description = "Put the quadrant (or, without one, every quadrant) back on its default playbook." };
        var command = new Command("playbook", "Show the playbooks by quadrant — channels in order, what is asked of the client, who calls — or change one (audited).")
        {
            quadrant, channels, action, caller, defaults,
        };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var current = await FollowUpSettingsStore.GetAsync(db, cancellationToken);
            var named = parse.GetValue(quadrant);
            Quadrant? only = null;
            if (named is not null)
            {
                only = FollowUpWords.ParseQuadrant(named);
                if (only is null)
                {
                    return Output.Fail($"quadrant: '{named}' is not a quadrant; use {FollowUpWords.QuadrantChoices}.");
                }
            }

            var restore = parse.GetValue(defaults);
            var words = new PlaybookWords(
                parse.GetValue(channels) is { } text ? PlaybookWords.SplitChannels(text) : null, parse.GetValue(action), parse.GetValue(caller));
            var changing = words.Channels is not null || words.Action is not null || words.CallerRole is not null;
            if (!changing && !restore)
            {
                Print(current.Playbooks.Where(p => only is null || p.Quadrant == only));
                return Output.Ok;
            }

            if (only is null && changing)
            {
                return Output.Fail($"quadrant: name the quadrant to change ({FollowUpWords.QuadrantChoices}).");
            }

            if (restore && changing)
            {
                return Output.Fail("--defaults: give either --defaults or the parts to change, not both.");
            }

            var changes = Enum.GetValues<Quadrant>().Where(q => only is null || q == only)
                .ToDictionary(FollowUpWords.Key, q => restore ? null : (PlaybookWords?)words, StringComparer.Ordinal);
            var (wanted, problems) = await FollowUpSettingsStore.WithPlaybooksAsync(db, current, changes, cancellationToken);
            if (problems.Count > 0)
            {
                return Output.Fail(string.Join(Environment.NewLine, problems.Select(p => $"{Option(p.Field)}: {p.Message}.")));
            }

            return Runner.Report(await FollowUpSettingsStore.SaveAsync(db, wanted, session.Actor, cancellationToken), saved =>
            {
                Output.Success(restore && only is null ? "Every quadrant is back on its default playbook." : "Playbook saved; new alerts are followed up by it from the next run.");
                Print(saved.Playbooks.Where(p => only is null || p.Quadrant == only));
            });
        });
        return command;
    }

    /// <summary>The option a problem is about: the store names fields as the settings document does (playbooks.urgent-service.channels).</summary>
    private static string Option(string field) => field.Split('.') switch
    {
        [_, _, "channels"] => "--channels",
        [_, _, "action"] => "--action",
        [_, _, "callerRole"] => "--caller",
        _ => field,
    };

    private static void Print(IEnumerable<Playbook> playbooks)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Quadrant").AddColumn("Channels, in order").AddColumn("Action").AddColumn("Caller").AddColumn("Default");
        foreach (var p in playbooks.OrderBy(p => p.Quadrant))
        {
            var fallback = Playbook.Defaults.First(d => d.Quadrant == p.Quadrant);
            var isDefault = fallback.Action == p.Action && fallback.CallerRole == p.CallerRole && fallback.Channels.SequenceEqual(p.Channels);
            table.AddRow(
                Markup.Escape($"{FollowUpWords.Key(p.Quadrant)} ({FollowUpWords.Name(p.Quadrant)})"),
                Markup.Escape(string.Join(", ", p.Channels.Select(FollowUpWords.Key))),
                Markup.Escape(FollowUpWords.Key(p.Action)),
                Markup.Escape(p.CallerRole),
                Markup.Escape(isDefault ? "yes" : $"no: {string.Join(", ", fallback.Channels.Select(FollowUpWords.Key))}; {FollowUpWords.Key(fallback.Action)}; {fallback.CallerRole}"));
        }

        AnsiConsole.Write(table);
    }
}
