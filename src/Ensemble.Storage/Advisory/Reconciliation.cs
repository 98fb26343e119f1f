using System.Runtime.InteropServices;
using Ensemble.Advisory;
using Ensemble.Advisory.Alerts;
using Ensemble.Consolidation;
using NodaTime;

namespace Ensemble.Storage.Advisory;

/// <summary>
/// Evaluates households one after another and compares each rule's outcome with the alert open for it, queueing
/// only what must change. Nothing here allocates per household except the explanations of alerts being written
/// and the reasons of rules that could not be evaluated.
/// </summary>
internal sealed class Reconciliation
{
    private readonly AdvisoryFramework framework;
    private readonly DayValues day;
    private readonly int today;
    private readonly RunState state;
    private readonly HashSet<(long Household, int Rule)> listed;
    private readonly HashSet<long> listedHouseholds;
    private readonly double[] sheet;
    private readonly int[] outcomes;
    private readonly int[] slots;
    private readonly List<OpenAlert> open = [];

    /// <param name="listed">The could-not-evaluate entries of the households this reconciliation visits (it takes them off as it goes).</param>
    public Reconciliation(FirmFramework firm, LocalDate today, RunState state, HashSet<(long Household, int Rule)> listed)
    {
        this.listed = listed;
        listedHouseholds = listed.Select(l => l.Household).ToHashSet();
        Firm = firm;
        framework = firm.Framework;
        this.state = state;
        this.today = today.ToDateOnly().DayNumber;
        day = framework.DayOf(today);
        sheet = FactSheet.Empty(framework.Catalog);
        outcomes = new int[framework.Rules.Count];
        slots = new int[framework.Rules.Count];
        Array.Fill(slots, -1);
    }

    public FirmFramework Firm { get; }

    public PendingChanges Pending { get; private set; } = new();

    public int Households { get; private set; }

    /// <summary>Household-rule pairs that could not be evaluated.</summary>
    public int CouldNotEvaluate { get; private set; }

    /// <summary>Evaluates one household: its packed fact sheet and its open alerts as <see cref="HouseholdRows"/> reads them.</summary>
    public void Visit(long household, ReadOnlySpan<byte> packed, ReadOnlySpan<char> openAlerts)
    {
        Households++;
        FactSheet.Unpack(packed, sheet);
        framework.Evaluate(sheet, day, outcomes);

        open.Clear();
        if (!openAlerts.IsEmpty)
        {
            HouseholdRows.Parse(openAlerts, household, Firm, today, open, Pending);
        }

        var alerts = CollectionsMarshal.AsSpan(open);
        for (var i = 0; i < alerts.Length; i++)
        {
            slots[alerts[i].Rule] = i;
        }

        var anyHeld = state.Held.Count > 0;
        var anyListed = listedHouseholds.Count > 0 && listedHouseholds.Contains(household);
        for (var rule = 0; rule < outcomes.Length; rule++)
        {
            var outcome = outcomes[rule];
            var at = slots[rule];
            HeldAlert held = default;
            var isHeld = anyHeld && state.Held.TryGetValue((household, rule), out held);
            var wasListed = anyListed && listed.Remove((household, rule));
            var action = AlertReconciler.Decide(outcome, at >= 0, at >= 0 ? alerts[at].Variant : -1, at >= 0 && alerts[at].Snoozed, isHeld ? held.Variant : -1);
            if (wasListed && action != AlertAction.CouldNotEvaluate)
            {
                Pending.Evaluated.Add((household, framework.Rules[rule].Key));
            }

            switch (action)
            {
                case AlertAction.CouldNotEvaluate:
                    CouldNotEvaluate++;
                    if (!wasListed)
                    {
                        Pending.Unevaluated.Add(new NotEvaluated(household, framework.Rules[rule].Key, Reason(rule)));
                    }

                    break;
                case AlertAction.Raise:
                    Pending.Raise.Add(new NewAlert(household, rule, outcome - 1, Explain(rule), isHeld ? held.Id : null, isHeld ? held.ReopenCount + 1 : 0));
                    if (isHeld)
                    {
                        Pending.Release.Add(held.Id);
                    }

                    break;
                case AlertAction.MoveVariant:
                    Pending.Moves.Add(new VariantMove(household, rule, outcome - 1, Explain(rule)));
                    break;
                case AlertAction.Resolve:
                    Pending.Resolve.Add(new AutomaticResolution(household, framework.Rules[rule].Key, AlertResolution.ConditionCleared));
                    break;
                case AlertAction.Release:
                    Pending.Release.Add(held.Id);
                    break;
            }
        }

        for (var i = 0; i < alerts.Length; i++)
        {
            slots[alerts[i].Rule] = -1;
        }
    }

    /// <summary>Entries of the could-not-evaluate list no visited household confirmed are taken off it.</summary>
    public void Finish()
    {
        foreach (var (household, rule) in listed)
        {
            Pending.Evaluated.Add((household, framework.Rules[rule].Key));
        }

        listed.Clear();
    }

    /// <summary>Hands over what is pending, to be written while this goes on with the next households.</summary>
    public PendingChanges TakePending()
    {
        var taken = Pending;
        Pending = new PendingChanges();
        return taken;
    }

    private string Explain(int rule) => AlertExplanation.ToJson(framework.Explain(rule, sheet, day));

    private string Reason(int rule) => framework.Explain(rule, sheet, day).CouldNotEvaluate ?? "could not evaluate";
}
