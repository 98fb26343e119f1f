using Ensemble.Communications.Campaigns;
using NodaTime;

namespace Ensemble.Storage.Communications.Campaigns;

/// <summary>
/// The demo firm's standing replies to alerts that need little advice, written by David and approved by Omar, so the
/// demo's follow-ups reach clients by email, letter and portal from the first run. The other rules have none, so
/// their client channels are passed over and the team calls: the canvas shows which is which.
/// </summary>
internal static class DemoStandingMessages
{
    // Starts with a blank line: the literal drops the first line break, and paragraphs need one between them.
    private const string Closing = """


        With best regards,
        {{ advisor.name | default: firm.name }}
        {{ firm.name }}
        """;

    private static readonly (string Rule, string Name, string Subject, string Body)[] Messages =
    [
        ("data.stale-facts", "Please confirm your details", "A few details to confirm for your file", """
            Dear {{ person.first_name | default: "client" }},

            Some of what we hold on file for {{ household.name }} has not been confirmed for a while: income, the value of your home, your beneficiaries and similar details.

            Please take a few minutes to look them over in the client portal, or reply to this message with anything that has changed. Good advice starts from an accurate picture.
            """),
        ("data.no-birth-date", "Date of birth missing", "One detail missing from your file", """
            Dear {{ person.first_name | default: "client" }},

            We do not have a date of birth on file for you. Several parts of your plan depend on it, among them retirement projections and the age at which required withdrawals begin.

            Please reply with it, or add it in the client portal.
            """),
        ("retirement.rmd-not-taken", "Required minimum distribution reminder", "Your required withdrawal for this year", """
            Dear {{ person.first_name | default: "client" }},

            Our records show that this year's required minimum distribution has not yet been taken from your retirement account. Missing it can lead to a tax penalty.

            If you would like us to arrange the withdrawal, reply to this message or call the office and we will take care of it before the year ends.
            """),
        ("insurance.home-underinsured", "Home cover check", "Is your home insured for what it is worth?", """
            Dear {{ person.first_name | default: "client" }},

            The cover on your home appears to be lower than what the home would cost to rebuild or replace today.

            It is worth asking your insurer to review the sum insured. If you send us the renewal documents, we are glad to look at them with you.
            """),
        ("investments.excess-cash", "Cash above your reserve", "Cash you may want to put to work", """
            Dear {{ person.first_name | default: "client" }},

            Your accounts hold noticeably more cash than the reserve we agreed for {{ household.name }}. Cash is safe, but over time it tends to lose ground to inflation.

            Reply to this message and we will suggest how much to keep aside and how the rest could be invested in line with your plan.
            """),
    ];

    public static async Task AddAsync(CampaignBook book, CancellationToken cancellationToken)
    {
        foreach (var (rule, name, subject, body) in Messages)
        {
            var created = await book.CreateAsync(new CampaignInput(name, CampaignKind.AlertFollowUp.Key(), subject, body.TrimEnd() + Closing, AlertRule: rule), "david", cancellationToken);
            var submitted = created.IsSuccess ? await book.SubmitAsync(created.Value.Id, "david", cancellationToken: cancellationToken) : created;
            var approved = submitted.IsSuccess
                ? await book.ReviewAsync(created.Value.Id, true, "Approved as a standing reply for this alert.", "omar", cancellationToken: cancellationToken)
                : submitted;
            if (!approved.IsSuccess)
            {
                throw new InvalidOperationException($"Demo message for {rule}: {approved.Error!.Message}");
            }
        }
    }
}
