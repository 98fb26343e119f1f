using System.CommandLine;
using System.Globalization;
using Ensemble.Common;
using Ensemble.Communications.Campaigns;
using Ensemble.Storage;
using Ensemble.Storage.Communications.Campaigns;
using Ensemble.Storage.Households;
using Ensemble.Storage.Work;
using NodaTime;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble campaigns: write one message to many households, have compliance approve it, send it, follow its delivery.</summary>
internal static class CampaignCommands
{
    public static Command Build() =>
        new("campaigns", "One message to many households: write it as a Liquid template, have compliance approve it, send it, follow its delivery.")
        {
            List(), New(), Show(), Set(), Audience(), Preview(), Missing(), Submit(), Review("approve"), Review("reject"), Send(), Recipients(), Fields(), Audiences(),
        };

    private static Command List()
    {
        var status = new Option<string?>("--status") { Description = $"Only campaigns at this status: {CampaignStatuses.Choices}." };
        var command = new Command("list", "Campaigns, most recently changed first.") { status };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var text = parse.GetValue(status);
            var parsed = CampaignStatuses.Parse(text);
            if (text is not null && parsed is null)
            {
                return Output.Fail($"--status: \"{text}\" is not a status; use {CampaignStatuses.Choices}.");
            }

            var lines = await new CampaignBook(db, session.Clock).ListAsync(parsed, 500, 0, cancellationToken);
            if (lines.Count == 0)
            {
                Output.Line("No campaigns yet; `ensemble campaigns new` writes one.");
                return Output.Ok;
            }

            var zone = await ZoneAsync(db, cancellationToken);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("#").AddColumn("Name").AddColumn("Kind").AddColumn("Status").AddColumn("Author")
                .AddColumn("Audience").AddColumn(new TableColumn("Messages").RightAligned()).AddColumn("Changed");
            foreach (var c in lines)
            {
                table.AddRow(c.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(c.Name), Markup.Escape(c.KindTitle), Markup.Escape(c.StatusTitle), Markup.Escape(c.Author),
                    Markup.Escape(c.Audience), c.Messages.ToString("N0", CultureInfo.InvariantCulture), When(c.UpdatedAt, zone));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });
        return command;
    }

    private static Command New()
    {
        var content = new ContentOptions(required: true);
        var command = new Command("new", "Write a campaign. It is saved as a draft even with template problems, which are listed with line and column; submit it once they are fixed.");
        content.AddTo(command);
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var input = content.Read(parse, null);
            if (!input.IsSuccess)
            {
                return Output.Fail(input.Error!);
            }

            var book = new CampaignBook(db, session.Clock);
            var (_, problems) = await book.CheckAsync(input.Value, cancellationToken);
            if (problems.Count > 0)
            {
                return Invalid(problems);
            }

            var created = await book.CreateAsync(input.Value, session.Actor, cancellationToken);
            if (!created.IsSuccess)
            {
                return Output.Fail(created.Error!);
            }

            Output.Success($"Saved campaign #{created.Value.Id} \"{created.Value.Name}\" as a draft.");
            ReportTemplates(CampaignBook.Problems(created.Value), created.Value.Id);
            return Output.Ok;
        });
        return command;
    }

    private static Command Set()
    {
        var id = Id();
        var content = new ContentOptions(required: false);
        var command = new Command("set", "Change a campaign; what is not given stays. Changing what is sent or to whom voids a pending or given approval.") { id };
        content.AddTo(command);
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var book = new CampaignBook(db, session.Clock);
            var campaignId = new CampaignId(parse.GetValue(id));
            var current = await book.FindAsync(campaignId, cancellationToken);
            if (current is null)
            {
                return Output.Fail(CampaignBook.NotFound(campaignId));
            }

            var input = content.Read(parse, current);
            if (!input.IsSuccess)
            {
                return Output.Fail(input.Error!);
            }

            var (_, problems) = await book.CheckAsync(input.Value, cancellationToken);
            if (problems.Count > 0)
            {
                return Invalid(problems);
            }

            var revised = await book.ReviseAsync(campaignId, input.Value, session.Actor, cancellationToken: cancellationToken);
            if (!revised.IsSuccess)
            {
                return Output.Fail(revised.Error!);
            }

            var c = revised.Value;
            Output.Success($"Changed campaign #{c.Id}; it is {c.Status.Title().ToLowerInvariant()}.");
            if (current.Status is "approved" or "pending-approval" && c.Status == CampaignStatus.Draft)
            {
                Output.Line("  The change voids its approval: submit it again (`ensemble campaigns submit " + c.Id + "`).");
            }

            ReportTemplates(CampaignBook.Problems(c), c.Id);
            return Output.Ok;
        });
        return command;
    }

    private static Command Show()
    {
        var id = Id();
        var command = new Command("show", "A campaign: its message, audience, template problems, approval history, last send and delivery.") { id };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var campaignId = new CampaignId(parse.GetValue(id));
            var c = await new CampaignBook(db, session.Clock).FindAsync(campaignId, cancellationToken);
            if (c is null)
            {
                return Output.Fail(CampaignBook.NotFound(campaignId));
            }

            var zone = await ZoneAsync(db, cancellationToken);
            Output.Success($"#{c.Id} {c.Name} — {c.KindTitle}, {c.StatusTitle.ToLowerInvariant()}");
            Output.Line($"  Written by {c.Author}{(c.LastEditedBy != c.Author ? $", last changed by {c.LastEditedBy}" : "")}, {When(c.UpdatedAt, zone)}");
            Output.Line(c.AlertRule is { } rule
                ? $"  Answers alerts of rule {rule}; {(c.InForce ? "in force: follow-ups by email, letter or portal send it" : "not in force until approved")}"
                : $"  Audience: {(c.Audience.SavedAudience is { } saved ? $"{saved} — " : "")}{c.Audience.Description}");
            if (c.Deadline is { } deadline)
            {
                Output.Line($"  Deadline: {deadline.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture)}");
            }

            Output.Line($"  Subject: {c.Subject}");
            Output.Line("  Body:");
            foreach (var line in c.Body.Split('\n'))
            {
                Output.Line("    " + line);
            }

            foreach (var problem in c.Problems)
            {
                AnsiConsole.MarkupLine("  [red]" + Markup.Escape(problem.ToString()) + "[/]");
            }

            foreach (var r in c.Reviews)
            {
                Output.Line($"  {When(r.At, zone)}  {r.Action} by {r.By}{(r.Comment is null ? "" : $": {r.Comment}")}");
            }

            if (c.LastSend is { } send)
            {
                Output.Line($"  Last sent {When(send.At, zone)} by {send.By}: {Sent(send)}");
            }

            if (c.Delivery.Total > 0)
            {
                Output.Line($"  Delivery: {Delivery(c.Delivery)}");
            }

            return Output.Ok;
        });
        return command;
    }

    private static Command Audience()
    {
        var id = Id();
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 50, Description = "List at most this many recipients (the counts are of everyone)." };
        var command = new Command("audience", "Who the campaign reaches now: counts by channel, who is left out and why, and the recipients.") { id, limit };
        Runner.WithFirm(command, (parse, session, db, cancellationToken) => SummaryAsync(parse.GetValue(id), onlyIssues: false, Math.Clamp(parse.GetValue(limit), 1, 100_000), session, db, cancellationToken));
        return command;
    }

    private static Command Missing()
    {
        var id = Id();
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 200, Description = "List at most this many recipients." };
        var command = new Command("missing", "Recipients with something in the way before sending: a merge field without a value, an invalid address, an unusable preferred channel.") { id, limit };
        Runner.WithFirm(command, (parse, session, db, cancellationToken) => SummaryAsync(parse.GetValue(id), onlyIssues: true, Math.Clamp(parse.GetValue(limit), 1, 100_000), session, db, cancellationToken));
        return command;
    }

    private static async Task<int> SummaryAsync(long id, bool onlyIssues, int limit, Session session, EnsembleDb db, CancellationToken cancellationToken)
    {
        var campaignId = new CampaignId(id);
        var summary = await new CampaignRecipients(db, session.Clock).SummarizeAsync(campaignId, null, onlyIssues, limit, 0, cancellationToken);
        if (summary is null)
        {
            return Output.Fail(CampaignBook.NotFound(campaignId));
        }

        Output.Success($"{summary.Description}: {summary.Audience:N0} households; {summary.Deliverable:N0} would get it " +
            $"({summary.ByEmail:N0} by email, {summary.ByLetter:N0} by letter, {summary.ByPortal:N0} in the portal).");
        Output.Line($"  Left out: {summary.DoNotContact:N0} do not contact, {summary.InvalidAddress:N0} with an invalid address, {summary.MissingFields:N0} missing a merge field; {summary.Warnings:N0} not by their preferred channel.");
        if (!summary.TemplatesChecked)
        {
            AnsiConsole.MarkupLine("  [red]The templates have problems, so messages were not rendered; `ensemble campaigns show " + id + "` lists them.[/]");
        }

        if (summary.Recipients.Count == 0)
        {
            Output.Line(onlyIssues ? "  Nothing is missing." : "  No recipients.");
            return Output.Ok;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("Household").AddColumn("Tier").AddColumn("To").AddColumn("Channel").AddColumn("Address").AddColumn("Issues");
        foreach (var r in summary.Recipients)
        {
            table.AddRow(Markup.Escape($"{r.HouseholdKey} {r.HouseholdName}"), r.Tier, Markup.Escape(r.RecipientName), Markup.Escape(r.Channel ?? "—"),
                Markup.Escape((r.Address ?? "—").Replace('\n', ',')), Markup.Escape(string.Join(" ", r.Issues.Select(i => i.Message))));
        }

        AnsiConsole.Write(table);
        if (summary.More)
        {
            Output.Line($"  … and more; --limit lists more.");
        }

        return Output.Ok;
    }

    private static Command Preview()
    {
        var id = Id();
        var household = new Argument<string>("household") { Description = "Household key, e.g. HH-1001." };
        var html = new Option<bool>("--html") { Description = "Also print the HTML part." };
        var command = new Command("preview", "The message as one household would get it: channel, address, subject and body.") { id, household, html };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var key = parse.GetValue(household)!;
            if (await new HouseholdDirectory(db, session.Clock).IdOfAsync(key, cancellationToken) is not { } householdId)
            {
                return Output.Fail(Error.NotFound($"There is no household {key}; `ensemble households list` shows them."));
            }

            var campaignId = new CampaignId(parse.GetValue(id));
            var preview = await new CampaignRecipients(db, session.Clock).PreviewAsync(campaignId, householdId, cancellationToken);
            if (preview is null)
            {
                return Output.Fail(CampaignBook.NotFound(campaignId));
            }

            var r = preview.Recipient;
            Output.Success($"{r.HouseholdKey} {r.HouseholdName}{(preview.InAudience ? "" : " (not in this campaign's audience)")}");
            Output.Line($"  To: {r.RecipientName} by {r.Channel ?? "no channel"}{(r.Address is null ? "" : " at " + r.Address.Replace('\n', ','))}");
            foreach (var issue in r.Issues)
            {
                Output.Line("  " + issue.Message);
            }

            foreach (var problem in preview.Problems)
            {
                AnsiConsole.MarkupLine("  [red]" + Markup.Escape(problem.ToString()) + "[/]");
            }

            if (preview.Subject is not null)
            {
                Output.Line($"  Subject: {preview.Subject}");
                Output.Line("");
                foreach (var line in preview.TextBody!.Split('\n'))
                {
                    Output.Line("  " + line);
                }

                if (parse.GetValue(html))
                {
                    Output.Line("");
                    Console.WriteLine(preview.HtmlBody);
                }
            }

            return Output.Ok;
        });
        return command;
    }

    private static Command Submit()
    {
        var id = Id();
        var command = new Command("submit", "Submit a draft for compliance approval; refused while its templates have problems.") { id };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var book = new CampaignBook(db, session.Clock);
            var campaignId = new CampaignId(parse.GetValue(id));
            if (await book.FindAsync(campaignId, cancellationToken) is { Status: "draft", Problems.Count: > 0 } broken)
            {
                return Invalid(broken.Problems);
            }

            return Runner.Report(await book.SubmitAsync(campaignId, session.Actor, cancellationToken: cancellationToken), c =>
                Output.Success($"Submitted campaign #{c.Id} for approval; a compliance reviewer other than you approves it (`ensemble campaigns approve {c.Id} --as …`)."));
        });
        return command;
    }

    private static Command Review(string decision)
    {
        var approve = decision == "approve";
        var id = Id();
        var comment = new Option<string?>("--comment") { Description = approve ? "What you checked, or any condition." : "Why, so the author knows what to change (required).", Required = !approve };
        var command = new Command(decision, approve
            ? "Approve a submitted campaign (compliance only, and not its author; --as names you)."
            : "Reject a submitted campaign, saying why (compliance only; --as names you).") { id, comment };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var reviewed = await new CampaignBook(db, session.Clock).ReviewAsync(new CampaignId(parse.GetValue(id)), approve, parse.GetValue(comment), session.Actor, cancellationToken: cancellationToken);
            return Runner.Report(reviewed, c => Output.Success(approve
                ? $"Approved campaign #{c.Id}; `ensemble campaigns send {c.Id}` queues it."
                : $"Rejected campaign #{c.Id}; the author changes it and submits it again."));
        });
        return command;
    }

    private static Command Send()
    {
        var id = Id();
        var command = new Command("send", "Queue an approved campaign to every deliverable recipient, all or nothing; again, only to those not yet queued.") { id };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var sent = await new CampaignSender(db, session.Clock).SendAsync(new CampaignId(parse.GetValue(id)), session.Actor, cancellationToken: cancellationToken);
            return Runner.Report(sent, report => Output.Success($"Campaign #{parse.GetValue(id)}: {Sent(report)}"));
        });
        return command;
    }

    private static Command Recipients()
    {
        var id = Id();
        var status = new Option<string?>("--status") { Description = "Only messages at this status: queued, sending, sent, delivered, failed, bounced." };
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 200, Description = "At most this many lines." };
        var command = new Command("recipients", "Each recipient's message and where it stands, with counts per status.") { id, status, limit };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var campaignId = new CampaignId(parse.GetValue(id));
            if (await new CampaignBook(db, session.Clock).VersionAsync(campaignId, cancellationToken) is null)
            {
                return Output.Fail(CampaignBook.NotFound(campaignId));
            }

            Ensemble.Communications.DeliveryStatus? only = null;
            if (parse.GetValue(status) is { } text)
            {
                if (!Enum.TryParse<Ensemble.Communications.DeliveryStatus>(text.Trim(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                {
                    return Output.Fail($"--status: \"{text}\" is not a delivery status; use queued, sending, sent, delivered, failed or bounced.");
                }

                only = parsed;
            }

            var progress = new CampaignProgress(db);
            var counts = await progress.CountsAsync(campaignId, cancellationToken);
            Output.Success($"Campaign #{campaignId}: {Delivery(counts)}");
            var lines = await progress.RecipientsAsync(campaignId, only, null, Math.Max(1, parse.GetValue(limit)), 0, cancellationToken);
            if (lines.Count == 0)
            {
                Output.Line("  No messages" + (only is null ? " yet; it has not been sent." : " at that status."));
                return Output.Ok;
            }

            var zone = await ZoneAsync(db, cancellationToken);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Household").AddColumn("To").AddColumn("Channel").AddColumn("Status").AddColumn("Queued").AddColumn("Last error");
            foreach (var m in lines)
            {
                table.AddRow(Markup.Escape($"{m.HouseholdKey} {m.HouseholdName}"), Markup.Escape(m.RecipientName), m.Channel.ToString().ToLowerInvariant(),
                    m.Status.ToString().ToLowerInvariant(), When(m.QueuedAt, zone), Markup.Escape(m.LastError ?? ""));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });
        return command;
    }

    private static Command Fields()
    {
        var command = new Command("fields", "The merge fields a subject or message may use, e.g. {{ person.first_name }}.");
        command.SetAction(_ =>
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Field").AddColumn("What it is").AddColumn("Example");
            foreach (var field in MergeFields.All)
            {
                table.AddRow(Markup.Escape("{{ " + field.Path + " }}"), Markup.Escape(field.Description), Markup.Escape(field.Example));
            }

            AnsiConsole.Write(table);
            Output.Line("Liquid's tags and filters work too: {% if person.first_name %}…{% endif %}, {{ person.first_name | default: \"client\" }}.");
            Output.Line("A recipient without a value for a field the message writes is held back and listed by `campaigns missing`.");
            return Output.Ok;
        });
        return command;
    }

    private static Command Audiences()
    {
        var list = new Command("list", "The firm's saved audiences.");
        Runner.WithFirm(list, async (parse, session, db, cancellationToken) =>
        {
            var saved = await new SavedAudiences(db, session.Clock).ListAsync(cancellationToken);
            if (saved.Count == 0)
            {
                Output.Line("No saved audiences; `ensemble campaigns audiences save NAME --tier A,B` saves one.");
            }

            foreach (var a in saved)
            {
                Output.Line($"{a.Name}: {a.Audience.Description} (saved by {a.UpdatedBy})");
            }

            return Output.Ok;
        });

        var name = new Argument<string>("name") { Description = "The audience's name, e.g. \"A and B clients\"." };
        var criteria = new ContentOptions(required: false);
        var save = new Command("save", "Save audience criteria under a name (replacing what was saved under it).") { name };
        criteria.AddAudienceTo(save);
        Runner.WithFirm(save, async (parse, session, db, cancellationToken) =>
        {
            var (tiers, tags, types, stages) = criteria.Audience(parse);
            var saved = await new SavedAudiences(db, session.Clock).SaveAsync(parse.GetValue(name), tiers, tags, types, stages, session.Actor, cancellationToken);
            return Runner.Report(saved, a => Output.Success($"Saved \"{a.Name}\": {a.Audience.Description}."));
        });

        var deleteName = new Argument<string>("name") { Description = "The saved audience to delete." };
        var delete = new Command("delete", "Delete a saved audience; campaigns that used it keep their copy.") { deleteName };
        Runner.WithFirm(delete, async (parse, session, db, cancellationToken) =>
            Runner.Report(await new SavedAudiences(db, session.Clock).DeleteAsync(parse.GetValue(deleteName)!, session.Actor, cancellationToken),
                _ => Output.Success($"Deleted \"{parse.GetValue(deleteName)}\".")));

        return new Command("audiences", "Saved audiences: named criteria to reuse in campaigns.") { list, save, delete };
    }

    private static Argument<long> Id() => new("id") { Description = "The campaign's number (see `ensemble campaigns list`)." };

    private static void ReportTemplates(IReadOnlyList<CampaignProblem> problems, CampaignId id)
    {
        if (problems.Count == 0)
        {
            Output.Line($"  Its templates check; `ensemble campaigns submit {id}` sends it for approval.");
            return;
        }

        AnsiConsole.MarkupLine($"[yellow]  Before it can be submitted, fix {problems.Count} template problem{(problems.Count == 1 ? "" : "s")}:[/]");
        foreach (var problem in problems)
        {
            AnsiConsole.MarkupLine("  [yellow]" + Markup.Escape(problem.ToString()) + "[/]");
        }
    }

    /// <summary>Every field at fault, one line each, named as the option that carries it.</summary>
    private static int Invalid(IReadOnlyList<CampaignProblem> problems)
    {
        foreach (var problem in problems.SkipLast(1))
        {
            Console.Error.WriteLine(Place(problem));
        }

        return Output.Fail(Error.Invalid(Place(problems[^1])));

        static string Place(CampaignProblem p)
        {
            var option = p.Field switch
            {
                "accountTypes" => "--account-type",
                "tiers" => "--tier",
                "tags" => "--tag",
                "stages" => "--stage",
                "savedAudience" => "--audience",
                "audience" => "--tier/--tag/--account-type/--stage/--audience",
                _ => "--" + p.Field,
            };
            return p.Line is { } line ? $"{option}:{line}:{p.Column}: {p.Message}" : $"{option}: {p.Message}";
        }
    }

    private static string Sent(CampaignSendReport r) =>
        $"queued {r.Queued:N0} ({r.ByEmail:N0} email, {r.ByLetter:N0} letter, {r.ByPortal:N0} portal) of {r.Audience:N0} in the audience; " +
        $"{r.AlreadyQueued:N0} already queued before; left out {r.DoNotContact:N0} do not contact, {r.InvalidAddress:N0} invalid address, {r.MissingFields:N0} missing a merge field.";

    private static string Delivery(DeliveryCounts d) =>
        $"{d.Total:N0} messages: {d.Queued:N0} queued, {d.Sending:N0} sending, {d.Sent:N0} sent, {d.Delivered:N0} delivered, {d.Failed:N0} failed, {d.Bounced:N0} bounced.";

    private static async Task<DateTimeZone> ZoneAsync(EnsembleDb db, CancellationToken cancellationToken) => (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;

    private static string When(Instant at, DateTimeZone zone) => at.InZone(zone).ToString("uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The options that write a campaign's content, shared by `new` and `set`.</summary>
    private sealed class ContentOptions(bool required)
    {
        private readonly Option<string?> _name = new("--name") { Description = "What the firm calls it, e.g. \"Form ADV 2027\"." };
        private readonly Option<string?> _kind = new("--kind") { Description = $"What it is: {CampaignKinds.Choices}." };
        private readonly Option<string?> _subject = new("--subject") { Description = "The subject template, e.g. \"Your Form ADV, {{ person.first_name }}\"." };
        private readonly Option<FileInfo?> _subjectFile = new("--subject-file") { Description = "Read the subject template from a file." };
        private readonly Option<string?> _body = new("--body") { Description = "The message template (Liquid); blank lines separate paragraphs." };
        private readonly Option<FileInfo?> _bodyFile = new("--body-file") { Description = "Read the message template from a file." };
        private readonly Option<string[]> _tiers = new("--tier") { Description = "Households in these tiers: A, B, C, unsegmented (comma-separated or repeated).", AllowMultipleArgumentsPerToken = true };
        private readonly Option<string[]> _tags = new("--tag") { Description = "Households with any of these tags." };
        private readonly Option<string[]> _types = new("--account-type") { Description = "Households holding any of these account types, e.g. ira, roth-ira." };
        private readonly Option<string[]> _stages = new("--stage") { Description = "Households at these stages: prospect, client, former-client." };
        private readonly Option<string?> _saved = new("--audience") { Description = "Use a saved audience's criteria instead (see `campaigns audiences list`)." };
        private readonly Option<string?> _deadline = new("--deadline") { Description = "The deadline, yyyy-MM-dd (required for form-adv; {{ deadline }} in templates)." };
        private readonly Option<string?> _alertRule = new("--alert-rule") { Description = "For kind alert-follow-up: the advisory rule whose alerts the message answers, e.g. excess-cash." };

        public void AddTo(Command command)
        {
            _name.Required = required;
            _kind.Required = required;
            foreach (var option in new Option[] { _name, _kind, _subject, _subjectFile, _body, _bodyFile, _saved, _deadline, _alertRule })
            {
                command.Options.Add(option);
            }

            AddAudienceTo(command);
        }

        public void AddAudienceTo(Command command)
        {
            command.Options.Add(_tiers);
            command.Options.Add(_tags);
            command.Options.Add(_types);
            command.Options.Add(_stages);
        }

        public (string[] Tiers, string[] Tags, string[] Types, string[] Stages) Audience(ParseResult parse) =>
            (parse.GetValue(_tiers) ?? [], parse.GetValue(_tags) ?? [], parse.GetValue(_types) ?? [], parse.GetValue(_stages) ?? []);

        /// <summary>The input: what was given, and for `set` the rest from the campaign as it stands.</summary>
        public Result<CampaignInput> Read(ParseResult parse, CampaignView? current)
        {
            var subject = Text(parse, _subject, _subjectFile, "subject");
            var body = Text(parse, _body, _bodyFile, "body");
            if (!subject.IsSuccess || !body.IsSuccess)
            {
                return (subject.Error ?? body.Error)!;
            }

            var (tiers, tags, types, stages) = Audience(parse);
            var saved = parse.GetValue(_saved);
            var newAudience = tiers.Length + tags.Length + types.Length + stages.Length > 0 || saved is not null;
            var audience = current is null || newAudience
                ? (tiers, tags, types, stages, saved)
                : ([.. current.Audience.Tiers], [.. current.Audience.Tags], [.. current.Audience.AccountTypes], [.. current.Audience.Stages], (string?)null);
            return new CampaignInput(
                parse.GetValue(_name) ?? current?.Name,
                parse.GetValue(_kind) ?? current?.Kind,
                subject.Value ?? current?.Subject,
                body.Value ?? current?.Body,
                audience.Item1, audience.Item2, audience.Item3, audience.Item4, audience.Item5,
                parse.GetValue(_deadline) ?? current?.Deadline?.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture),
                parse.GetValue(_alertRule) ?? current?.AlertRule);
        }

        private static Result<string?> Text(ParseResult parse, Option<string?> inline, Option<FileInfo?> file, string what)
        {
            var text = parse.GetValue(inline);
            var path = parse.GetValue(file);
            if (text is not null && path is not null)
            {
                return Error.Invalid($"--{what} and --{what}-file: give the {what} one way, not both.");
            }

            if (path is null)
            {
                return text;
            }

            return path.Exists ? File.ReadAllText(path.FullName) : Error.NotFound($"--{what}-file: there is no file {path.FullName}.");
        }
    }
}
