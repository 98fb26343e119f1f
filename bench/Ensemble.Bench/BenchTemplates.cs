using System.Globalization;
using System.Text;

namespace Ensemble.Bench;

/// <summary>The templates the scenarios run, written in the same YAML as the library.</summary>
internal static class BenchTemplates
{
    public const string ChainKey = "bench-chain";

    public const string ReviewKey = "annual-review";

    /// <summary>
    /// Steps in a row, alternating roles, each due one business day after the one before: every
    /// completion activates, dates and routes the next step; the last completes the instance.
    /// </summary>
    public static string Chain(int steps)
    {
        string[] roles = ["paraplanner", "client-care-coordinator", "wealth-partner", "client-service-associate"];
        var yaml = new StringBuilder($"""
            key: {ChainKey}
            name: Service Request Chain
            category: service-requests
            description: A service request handled in {steps} steps, one after another.
            owner: client-service-associate
            steps:

            """);
        for (var n = 1; n <= steps; n++)
        {
            var s = n.ToString(CultureInfo.InvariantCulture);
            yaml.Append(CultureInfo.InvariantCulture, $"""
                  - key: step-{s}
                    title: Step {s}
                    role: {roles[(n - 1) % roles.Length]}

                """);
            yaml.Append(n == 1
                ? "    due: 1 business day after start\n"
                : $"    after: [step-{n - 1}]\n    due: 1 business day after step-{n - 1}\n");
        }

        return yaml.ToString();
    }

    /// <summary>A year-round review meeting: two preparation tasks open at start, dated back from the meeting.</summary>
    public const string Review = """
        key: annual-review
        name: Annual Review Meeting
        category: client-management
        description: The yearly review meeting with its preparation and follow-up.
        owner: wealth-partner
        anchors: [meeting]
        steps:
          - key: confirm
            title: Confirm the meeting with the client
            role: client-care-coordinator
            due: 14 days before meeting
          - key: prepare
            title: Prepare the review pack
            role: paraplanner
            due: 7 days before meeting
          - key: remind
            title: Send the reminder
            role: client-care-coordinator
            after: [confirm]
            due: 1 day before meeting
          - key: meet
            title: Hold the review meeting
            role: wealth-partner
            after: [prepare, remind]
            due: on meeting
          - key: follow-up
            title: Submit the follow-up work
            role: paraplanner
            after: [meet]
            due: 2 business days after meet
        """;
}
