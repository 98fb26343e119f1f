using System.CommandLine;
using Ensemble.Households;
using Ensemble.ServiceModel.Contacts;
using Ensemble.Storage.Households;
using Ensemble.Storage.ServiceModel;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>Periodic contact: ensemble contacts plan | occasions, and ensemble life-event add.</summary>
internal static class ContactCommands
{
    /// <summary>Adds <c>contacts</c> and <c>life-event</c> to the root command.</summary>
    public static void AddTo(Command root)
    {
        root.Subcommands.Add(Contacts());
        root.Subcommands.Add(LifeEvent());
    }

    private static Command Contacts()
    {
        var planDays = Days(ContactPlanner.DefaultDays);
        var plan = new Command("plan", "Start a contact for each occasion of the coming days that the tiers' yearly contact frequency allows (safe to run again).") { planDays };
        Runner.WithFirm(plan, async (parse, session, db, cancellationToken) =>
        {
            if (CheckDays(parse.GetValue(planDays)) is { } wrong)
            {
                return wrong;
            }

            var report = await new ContactPlanner(db, session.Clock).PlanAsync(parse.GetValue(planDays), session.Actor, cancellationToken: cancellationToken);
            Output.Success(report.Summary);
            // Contacts started on earlier runs are counted in the summary, not listed again.
            Lines([.. report.Started, .. report.Skipped], "started");
            foreach (var error in report.Errors)
            {
                Console.Error.WriteLine(error);
            }

            return report.Errors.Count == 0 ? Output.Ok : 5;
        });

        var occasionDays = Days(30);
        var occasions = new Command("occasions", "List the occasions of the coming days and what planning would do with each, without starting anything.") { occasionDays };
        Runner.WithFirm(occasions, async (parse, session, db, cancellationToken) =>
        {
            if (CheckDays(parse.GetValue(occasionDays)) is { } wrong)
            {
                return wrong;
            }

            var lines = await new ContactPlanner(db, session.Clock).OccasionsAsync(parse.GetValue(occasionDays), cancellationToken: cancellationToken);
            if (lines.Count == 0)
            {
                Output.Line("No occasions in those days.");
                return Output.Ok;
            }

            Lines(lines, "to plan");
            return Output.Ok;
        });

        return new Command("contacts", "Personal contact for birthdays, anniversaries and life events, within each tier's yearly frequency.") { plan, occasions };
    }

    private static Command LifeEvent()
    {
        var household = new Argument<string>("household") { Description = "The household's key, e.g. HH-1001." };
        var kind = new Option<string>("--kind") { Required = true, Description = $"What happened: {string.Join(", ", LifeEventKinds.All)}." };
        var on = new Option<string>("--on") { Required = true, Description = "When it happened (or will), yyyy-MM-dd." };
        var member = new Option<string?>("--member") { Description = "The member it happened to, by their id in the household (e.g. P1); leave out for the household as a whole." };
        var note = new Option<string?>("--note") { Description = "A few words for whoever makes the contact." };
        var add = new Command("add", "Record a life event; its personal contact starts at once.") { household, kind, on, member, note };
        Runner.WithFirm(add, async (parse, session, db, cancellationToken) =>
        {
            if (!LifeEventKinds.TryParse(parse.GetValue(kind), out var parsedKind))
            {
                return Output.Fail($"--kind \"{parse.GetValue(kind)}\" is not a life event; use one of {string.Join(", ", LifeEventKinds.All)}.");
            }

            var date = Parsing.Date(parse.GetValue(on)!, "--on");
            if (!date.IsSuccess)
            {
                return Output.Fail(date.Error!);
            }

            var key = parse.GetValue(household)!;
            if (await new HouseholdDirectory(db, session.Clock).IdOfAsync(key, cancellationToken) is not { } id)
            {
                return Output.Fail(Common.Error.NotFound($"There is no household {key}; `ensemble households list` shows them."));
            }

            var recorded = await new ContactPlanner(db, session.Clock).RecordLifeEventAsync(
                id, parsedKind, date.Value, parse.GetValue(member), parse.GetValue(note), session.Actor, cancellationToken);
            return Runner.Report(recorded, r => Output.Success($"{key}: {r.Event.Kind} on {r.Event.OccurredOn:uuuu-MM-dd}. {r.Outcome}"));
        });

        return new Command("life-event", "Life events (new job, promotion, retirement, new child or grandchild, marriage, loss) that call for a personal contact.") { add };
    }

    private static Option<int> Days(int fallback) =>
        new("--days") { DefaultValueFactory = _ => fallback, Description = $"How many days ahead, today included (1 to {ContactPlanner.MaxDays}; default {fallback})." };

    private static int? CheckDays(int days) =>
        days is < 1 or > ContactPlanner.MaxDays ? Output.Fail($"--days must be between 1 and {ContactPlanner.MaxDays}, not {days}.") : null;

    private static void Lines(IEnumerable<ContactLine> lines, string planned)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Day").AddColumn("Household").AddColumn("Occasion").AddColumn("Tier").AddColumn("By").AddColumn("Channel").AddColumn("Decision");
        foreach (var l in lines.OrderBy(l => l.ContactOn).ThenBy(l => l.Household.Key, StringComparer.Ordinal))
        {
            var decision = l.Decision switch
            {
                ContactDecision.Planned => $"[green]{planned}[/]",
                ContactDecision.AlreadyStarted => "already started",
                _ => "[grey]skipped[/]",
            };
            table.AddRow(
                Markup.Escape(Output.Date(l.ContactOn)), Markup.Escape($"{l.Household.Key} {l.Household.Name}"), Markup.Escape(l.Occasion.Title),
                l.Household.Tier.ToString(), Markup.Escape(l.OwnerRole), ContactChannels.Text(l.Channel),
                decision + Markup.Escape(": " + l.Reason));
        }

        AnsiConsole.Write(table);
    }
}
