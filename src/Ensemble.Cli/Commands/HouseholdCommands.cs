using System.CommandLine;
using System.Globalization;
using Ensemble.Households;
using Ensemble.Storage.Households;
using Ensemble.Storage.Practice;
using Ensemble.Storage.Work;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble households: list, show, add, and move along the lifecycle.</summary>
internal static class HouseholdCommands
{
    public static Command Build()
    {
        var search = new Option<string?>("--search") { Description = "Part of a name or key." };
        var stage = new Option<string?>("--stage") { Description = "prospect, client or former-client." };
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 50, Description = "At most this many lines." };
        var list = new Command("list", "List households.") { search, stage, limit };
        Runner.WithFirm(list, async (parse, session, db, cancellationToken) =>
        {
            LifecycleStage? filter = null;
            if (parse.GetValue(stage) is { } stageText)
            {
                var parsedStage = Parsing.Stage(stageText);
                if (!parsedStage.IsSuccess)
                {
                    return Output.Fail(parsedStage.Error!);
                }

                filter = parsedStage.Value;
            }

            var lines = await new HouseholdDirectory(db, session.Clock).ListAsync(parse.GetValue(search), filter, parse.GetValue(limit), cancellationToken: cancellationToken);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Key").AddColumn("Name").AddColumn("Stage").AddColumn("Open tasks");
            foreach (var h in lines)
            {
                table.AddRow(Markup.Escape(h.Key), Markup.Escape(h.Name), h.Stage.ToString(), h.OpenTasks.ToString(CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });

        var key = new Argument<string>("key") { Description = "Household key, e.g. HH-1001." };
        var show = new Command("show", "Everything about one household: facts, members, accounts, policies, team and processes.") { key };
        Runner.WithFirm(show, async (parse, session, db, cancellationToken) =>
        {
            var directory = new HouseholdDirectory(db, session.Clock);
            var household = await directory.FindAsync(parse.GetValue(key)!, cancellationToken);
            if (household is null)
            {
                return Output.Fail(Common.Error.NotFound($"There is no household {parse.GetValue(key)}."));
            }

            var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
            var facts = household.Facts(firm.Today(session.Clock));
            AnsiConsole.Write(new Rule(Markup.Escape($"{household.Name} ({household.Key}) — {household.Stage}")).LeftJustified());
            var grid = new Grid().AddColumn().AddColumn();
            void Fact(string label, object? value) => grid.AddRow(Markup.Escape(label), Markup.Escape(value is null ? "unknown" : Convert.ToString(value, CultureInfo.InvariantCulture)!));
            Fact("Net worth", household.Stated.NetWorth);
            Fact("Investable assets", household.InvestableAssets);
            Fact("Household income", household.Stated.HouseholdIncome);
            Fact("Initial revenue", household.Stated.InitialRevenue);
            Fact("Recurring revenue / yr", household.Stated.RecurringRevenue);
            Fact("Referrals given", household.Stated.ReferralsGiven);
            Fact("Products", household.Products);
            Fact("Primary client's age", facts.PrimaryAge);
            Fact("Preferred channels", household.PreferredChannels.Count == 0 ? null : string.Join(", ", household.PreferredChannels));
            Fact("Do not contact", household.DoNotContact ? "yes" : "no");
            Fact("Trusted advisors", household.TrustedAdvisors.Count == 0 ? null : string.Join("; ", household.TrustedAdvisors.Select(a => $"{a.Kind}: {a.Name}{(a.Firm is null ? "" : ", " + a.Firm)}")));
            Fact("Tags", household.Tags.Count == 0 ? null : string.Join(", ", household.Tags));
            AnsiConsole.Write(grid);

            if (household.Members.Count > 0)
            {
                var members = new Table().Title("Members").AddColumn("Name").AddColumn("Relationship").AddColumn("Born").AddColumn("Email");
                foreach (var m in household.Members)
                {
                    members.AddRow(Markup.Escape(m.FullName), m.Relationship.ToString(), Markup.Escape(m.BirthDate?.ToString("uuuu-MM-dd", null) ?? "—"), Markup.Escape(m.Email ?? ""));
                }

                AnsiConsole.Write(members);
            }

            if (household.Accounts.Count + household.Policies.Count > 0)
            {
                var holdings = new Table().Title("Accounts and policies").AddColumn("Kind").AddColumn("Type").AddColumn("With").AddColumn(new TableColumn("Value / cover").RightAligned());
                foreach (var a in household.Accounts)
                {
                    holdings.AddRow("account", Markup.Escape(a.Type), Markup.Escape(a.Custodian), a.Value.ToString());
                }

                foreach (var p in household.Policies)
                {
                    holdings.AddRow("policy", Markup.Escape(p.Type), Markup.Escape(p.Carrier), p.Coverage.ToString());
                }

                AnsiConsole.Write(holdings);
            }

            var team = await new Teams(db, session.Clock).ShowAsync(household.Key, cancellationToken);
            if (team.Count > 0)
            {
                var teamTable = new Table().Title("Service team").AddColumn("Role").AddColumn("Held by").AddColumn("Backups");
                foreach (var m in team)
                {
                    teamTable.AddRow(Markup.Escape(m.Role + (m.FirmLevel ? " (firm)" : "")), Markup.Escape(m.Name + (m.AwayToday ? " — away today" : "")), Markup.Escape(string.Join(" → ", m.Backups)));
                }

                AnsiConsole.Write(teamTable);
            }

            var processes = await directory.ProcessesAsync(household.Id, cancellationToken);
            if (processes.Count > 0)
            {
                var table = new Table().Title("Processes").AddColumn("#").AddColumn("Process").AddColumn("Status").AddColumn("Started").AddColumn("Progress");
                foreach (var p in processes)
                {
                    var finished = p.Tasks.Count(t => t.IsFinished);
                    table.AddRow(p.Id.ToString(), Markup.Escape(p.TemplateName), p.Status.ToString(), Output.Date(p.StartedOn), $"{finished} steps finished, {p.Tasks.Count(t => t.IsOpen)} open");
                }

                AnsiConsole.Write(table);
            }

            return Output.Ok;
        });

        var name = new Option<string>("--name") { Description = "Household name, e.g. The Okafor Family.", Required = true };
        var addStage = new Option<string>("--stage") { Description = "prospect, client or former-client.", DefaultValueFactory = _ => "prospect" };
        var add = new Command("add", "Add one household by hand (use `ensemble import` for many).") { key, name, addStage };
        Runner.WithFirm(add, async (parse, session, db, cancellationToken) =>
        {
            var s = Parsing.Stage(parse.GetValue(addStage)!);
            return !s.IsSuccess
                ? Output.Fail(s.Error!)
                : Runner.Report(
                    await new HouseholdDirectory(db, session.Clock).AddAsync(parse.GetValue(key)!, parse.GetValue(name)!, s.Value, session.Actor, cancellationToken),
                    h => Output.Success($"Added {h.Name} ({h.Key}) as a {h.Stage.ToString().ToLowerInvariant()}."));
        });

        var newStage = new Argument<string>("stage") { Description = "prospect, client or former-client." };
        var move = new Command("stage", "Move a household along its lifecycle (becoming a client starts onboarding work).") { key, newStage };
        Runner.WithFirm(move, async (parse, session, db, cancellationToken) =>
        {
            var s = Parsing.Stage(parse.GetValue(newStage)!);
            return !s.IsSuccess
                ? Output.Fail(s.Error!)
                : Runner.Report(
                    await new HouseholdDirectory(db, session.Clock).SetStageAsync(parse.GetValue(key)!, s.Value, session.Actor, cancellationToken),
                    h => Output.Success($"{h.Name} is now a {h.Stage.ToString().ToLowerInvariant()}."));
        });

        var kind = new Option<string>("--kind") { Description = "cpa, attorney, insurance-agent, banker…", Required = true };
        var advisorName = new Option<string>("--name") { Description = "The advisor's name.", Required = true };
        var firmName = new Option<string?>("--firm") { Description = "Their firm." };
        var email = new Option<string?>("--email") { Description = "Email address." };
        var phone = new Option<string?>("--phone") { Description = "Phone number." };
        var advisor = new Command("advisor", "Record a trusted advisor of the household (CPA, attorney, insurance agent…).") { key, kind, advisorName, firmName, email, phone };
        Runner.WithFirm(advisor, async (parse, session, db, cancellationToken) =>
            Runner.Report(
                await new HouseholdDirectory(db, session.Clock).AddTrustedAdvisorAsync(
                    parse.GetValue(key)!,
                    new TrustedAdvisor(parse.GetValue(kind)!, parse.GetValue(advisorName)!, parse.GetValue(firmName), parse.GetValue(email), parse.GetValue(phone)),
                    session.Actor,
                    cancellationToken),
                h => Output.Success($"{h.Name} now lists {h.TrustedAdvisors.Count} trusted advisor(s).")));

        return new Command("households", "The households the firm serves.") { list, show, add, move, advisor };
    }
}
