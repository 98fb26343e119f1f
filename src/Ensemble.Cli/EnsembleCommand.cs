using System.CommandLine;
using Ensemble.Cli.Commands;

namespace Ensemble.Cli;

/// <summary>The `ensemble` command and its subcommands.</summary>
internal static class EnsembleCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Ensemble: your firm's service model as work that happens by itself.");
        root.Options.Add(Session.Db);
        root.Options.Add(Session.As);
        root.Subcommands.Add(FirmCommands.Init());
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(FirmCommands.Roles());
        root.Subcommands.Add(FirmCommands.Holidays());
        root.Subcommands.Add(StaffCommands.Build());
        root.Subcommands.Add(TeamCommands.Build());
        root.Subcommands.Add(HouseholdCommands.Build());
        root.Subcommands.Add(ImportCommand.Build());
        root.Subcommands.Add(TemplateCommands.Build());
        root.Subcommands.Add(WorkCommands.Start());
        root.Subcommands.Add(WorkCommands.Tasks());
        root.Subcommands.Add(WorkCommands.Complete());
        root.Subcommands.Add(WorkCommands.Skip());
        root.Subcommands.Add(WorkCommands.Begin());
        root.Subcommands.Add(WorkCommands.Process());
        root.Subcommands.Add(WorkCommands.SweepCommand());
        root.Subcommands.Add(AuditCommands.Build());
        root.Subcommands.Add(SignInCommands.Build());
        root.Subcommands.Add(TokenCommands.Build());
        root.Subcommands.Add(TierCommands.Build());
        root.Subcommands.Add(CalendarCommands.Build());
        root.Subcommands.Add(ReminderCommands.Build());
        ContactCommands.AddTo(root);
        root.Subcommands.Add(OpportunityCommands.Build());
        root.Subcommands.Add(ServiceModelCommands.Build());
        root.Subcommands.Add(CapacityCommands.Build());
        root.Subcommands.Add(SourceCommands.Build());
        AdvisoryCommands.AddTo(root);
        root.Subcommands.Add(FollowUpCommands.Build());
        root.Subcommands.Add(CampaignCommands.Build());
        root.Subcommands.Add(ArchiveCommands.Build());
        root.Subcommands.Add(FormAdvCommands.Build());
        root.Subcommands.Add(NotificationCommands.Build());
        root.Subcommands.Add(OutboxCommands.Build());
        root.Subcommands.Add(OutboxCommands.Letters());
        return root;
    }
}
