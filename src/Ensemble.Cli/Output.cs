using Ensemble.Common;
using Ensemble.Storage.Work;
using NodaTime;
using Spectre.Console;

namespace Ensemble.Cli;

/// <summary>How results reach the terminal, and how expected failures become exit codes — in one place.</summary>
internal static class Output
{
    public const int Ok = 0;

    public static int Fail(Error error)
    {
        Console.Error.WriteLine(error.Message);
        return error.Kind switch
        {
            ErrorKind.Invalid => 2,
            ErrorKind.NotFound => 3,
            ErrorKind.Conflict or ErrorKind.Stale => 4,
            _ => 5,
        };
    }

    public static int Fail(string message) => Fail(Error.Invalid(message));

    public static void Line(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));

    public static void Success(string text) => AnsiConsole.MarkupLine("[green]" + Markup.Escape(text) + "[/]");

    /// <summary>Uses the terminal's width, or COLUMNS (default 160) when output goes to a file or pipe.</summary>
    public static void FitWidth()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 40 ? columns : 160;
        }
    }

    private static string StatusNote(TaskView t) => t.Status switch
    {
        Processes.Running.WorkTaskStatus.Open => "",
        Processes.Running.WorkTaskStatus.InProgress => " [blue](in progress)[/]",
        _ => $" [grey]({t.Status.ToString().ToLowerInvariant()})[/]",
    };

    public static string Date(LocalDate? date) => date?.ToString("ddd uuuu-MM-dd", null) ?? "—";

    public static void Tasks(IReadOnlyList<TaskView> tasks, LocalDate today, string empty)
    {
        if (tasks.Count == 0)
        {
            Line(empty);
            return;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Task").AddColumn("Due").AddColumn("Household").AddColumn("Step").AddColumn("Process").AddColumn("Role").AddColumn("Assignee");
        foreach (var t in tasks)
        {
            var due = Markup.Escape(Date(t.DueOn));
            if (t.DueOn < today)
            {
                due = "[red]" + due + "[/]";
            }
            else if (t.DueOn == today)
            {
                due = "[yellow]" + due + "[/]";
            }

            table.AddRow(
                t.Id.ToString(), due, Markup.Escape(t.HouseholdName is null ? "(firm)" : $"{t.HouseholdKey} {t.HouseholdName}"),
                Markup.Escape(t.Title) + StatusNote(t), Markup.Escape(t.Process), Markup.Escape(t.Role), Markup.Escape(t.Assignee ?? "(queue)"));
        }

        AnsiConsole.Write(table);
    }
}
