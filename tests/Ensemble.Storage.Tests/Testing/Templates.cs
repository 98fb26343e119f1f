namespace Ensemble.Storage.Tests.Testing;

/// <summary>Templates written to exercise one behaviour each.</summary>
public static class Templates
{
    /// <summary>a → (b, c) → d; c applies only to households with a million or more investable and may be skipped.</summary>
    public const string AccountReview = """
        key: account-review
        name: Account Review
        category: service-requests
        description: Reviews the household's accounts.
        owner: client-service-associate
        steps:
          - key: gather
            title: Gather statements
            role: client-service-associate
            due: 2 business days after start
          - key: analyse
            title: Analyse holdings
            role: paraplanner
            after: [gather]
            due: 1 business day after gather
          - key: large-case
            title: Large-case sign-off
            role: wealth-partner
            after: [gather]
            when: "investable_assets >= 1000000"
            skippable: true
            due: 3 business days after gather
          - key: report
            title: Send the report
            role: client-service-associate
            after: [analyse, large-case]
            due: 5 business days after start
        """;

    /// <summary>Preparation dated back from a meeting date.</summary>
    public const string MeetingPrep = """
        key: meeting-prep
        name: Meeting Prep
        category: client-management
        description: Prepares a meeting.
        owner: wealth-partner
        anchors: [meeting]
        steps:
          - key: prepare
            title: Prepare the meeting pack
            role: paraplanner
            due: 7 days before meeting
          - key: meet
            title: Hold the meeting
            role: wealth-partner
            after: [prepare]
            due: on meeting
        """;

    public const string Introduction = """
        key: introduction
        name: Introduction
        category: sales
        description: First contact.
        owner: wealth-partner
        steps:
          - key: call
            title: Introductory call
            role: wealth-partner
            due: 2 business days after start
        """;

    public const string FactFinding = """
        key: fact-finding
        name: Fact Finding
        category: sales
        description: Gathers the facts.
        owner: wealth-partner
        triggers:
          - on: process-completed
            process: introduction
        steps:
          - key: collect
            title: Collect the facts
            role: paraplanner
            due: 5 business days after start
        """;

    public const string QuarterlyReconciliation = """
        key: quarterly-reconciliation
        name: Quarterly Revenue Reconciliation
        category: practice-management
        scope: firm
        description: Compares expected with received revenue.
        owner: principal
        triggers:
          - every: quarterly
            day: 1
            missed: catch-up
            catch-up-days: 90
            overlap: skip-while-open
        steps:
          - key: reconcile
            title: Reconcile revenue
            role: principal
            due: 5 business days after start
        """;

    /// <summary>A check-in with every client household each month.</summary>
    public const string MonthlyCheckIn = """
        key: monthly-check-in
        name: Monthly Check-in
        category: client-management
        description: A short call to every client.
        owner: wealth-partner
        triggers:
          - every: monthly
            for: all-clients
            missed: catch-up
            catch-up-days: 31
            overlap: skip-while-open
        steps:
          - key: call
            title: Call the client
            role: wealth-partner
            due: 3 business days after start
        """;

    public static (string, string) File(string yaml) => (yaml.Split('\n')[0].Replace("key: ", "", StringComparison.Ordinal).Trim() + ".yaml", yaml);
}
