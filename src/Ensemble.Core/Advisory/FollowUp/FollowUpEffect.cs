using Ensemble.Advisory.Alerts;
using NodaTime;

namespace Ensemble.Advisory.FollowUp;

/// <summary>
/// One alert as the optimisation report sees it: its type, the channel it was followed up by (null when it had no
/// follow-up), when it was raised, when a person first acted on it, how and when it was resolved, and when the same
/// rule fired again for the household after that.
/// </summary>
public readonly record struct AlertOutcome(
    string TypeKey, FollowUpChannel? Channel, Instant RaisedAt, Instant? FirstResponseAt, Instant? ResolvedAt, AlertResolution? Resolution, Instant? RaisedAgainAt);

/// <summary>
/// What one alert type achieved through one channel.
/// </summary>
/// <param name="TypeKey">The alert type.</param>
/// <param name="Channel">The follow-up channel; null for alerts that had no follow-up.</param>
/// <param name="Raised">Alerts raised in the period.</param>
/// <param name="Measured">Of those, the alerts raised at least the response window ago: the ones the response rate can judge.</param>
/// <param name="Responded">Of the measured, those a person acted on within the window.</param>
/// <param name="Resolved">Alerts resolved (by a person or by the condition clearing; not by the rule being removed).</param>
/// <param name="ResolvedByThemselves">Of the resolved, those that cleared by themselves before anyone acted on them.</param>
/// <param name="MedianDaysToResolution">The median days from raising to resolution of the resolved ones.</param>
/// <param name="Reopened">Of the resolved, those whose rule fired again for the household within the re-open window.</param>
public sealed record ChannelEffect(
    string TypeKey, FollowUpChannel? Channel, int Raised, int Measured, int Responded, int Resolved, int ResolvedByThemselves, double? MedianDaysToResolution, int Reopened)
{
    /// <summary>Responded ÷ measured; null when nothing could be measured yet.</summary>
    public double? ResponseRate => Measured == 0 ? null : (double)Responded / Measured;

    /// <summary>Reopened ÷ resolved; null when nothing was resolved. Recently resolved alerts may still come back, so it can only rise.</summary>
    public double? ReopenRate => Resolved == 0 ? null : (double)Reopened / Resolved;
}

/// <summary>A suggestion to move an alert type on the canvas, with the figures behind it.</summary>
public sealed record CanvasSuggestion(string TypeKey, CanvasPosition From, CanvasPosition To, string Why);

/// <summary>
/// The optimisation step: per alert type and channel, the response rate, the median time to resolution and the
/// re-open rate; and from those, which types to move on the canvas. A person's response is any move on the alert
/// (acknowledge, follow up, resolve) or a task of its follow-up process completed by a person.
/// </summary>
public static class FollowUpEffect
{
    /// <summary>Fewer measured alerts than this make no suggestion: a handful of alerts is noise.</summary>
    public const int MinimumAlerts = 5;

    public static IReadOnlyList<ChannelEffect> Measure(IEnumerable<AlertOutcome> outcomes, Instant now, FollowUpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var window = Duration.FromDays(settings.ResponseDays);
        var reopenWindow = Duration.FromDays(settings.ReopenDays);
        return outcomes
            .GroupBy(o => (o.TypeKey, o.Channel))
            .Select(g =>
            {
                int raised = 0, measured = 0, responded = 0, resolved = 0, byThemselves = 0, reopened = 0;
                var days = new List<double>();
                foreach (var o in g)
                {
                    raised++;
                    var answered = o.FirstResponseAt is { } first && first - o.RaisedAt <= window;
                    if (now - o.RaisedAt >= window)
                    {
                        measured++;
                        responded += answered ? 1 : 0;
                    }
                    else if (answered)
                    {
                        // Answered early: it counts already, whatever happens in the rest of its window.
                        measured++;
                        responded++;
                    }

                    if (o.ResolvedAt is { } at && o.Resolution is not (null or AlertResolution.RuleRemoved))
                    {
                        resolved++;
                        days.Add((at - o.RaisedAt).TotalDays);
                        byThemselves += o.Resolution == AlertResolution.ConditionCleared && (o.FirstResponseAt is null || o.FirstResponseAt > at) ? 1 : 0;
                        reopened += o.RaisedAgainAt is { } again && again - at <= reopenWindow ? 1 : 0;
                    }
                }

                return new ChannelEffect(g.Key.TypeKey, g.Key.Channel, raised, measured, responded, resolved, byThemselves, Median(days), reopened);
            })
            .OrderBy(e => e.TypeKey, StringComparer.Ordinal).ThenBy(e => e.Channel?.ToString() ?? "", StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Which types to move, judged on all their channels together: a type that keeps coming back while people do not
    /// respond to its passive channel moves up in urgency; an urgent type whose alerts mostly clear by themselves,
    /// quickly, moves down; a self-service type clients neither act on nor fix for good needs the advisor, so moves up
    /// in advice sensitivity.
    /// </summary>
    public static IReadOnlyList<CanvasSuggestion> Suggest(IReadOnlyList<ChannelEffect> effects, IReadOnlyDictionary<string, CanvasPosition> places, FollowUpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var suggestions = new List<CanvasSuggestion>();
        foreach (var type in effects.GroupBy(e => e.TypeKey))
        {
            if (!places.TryGetValue(type.Key, out var place))
            {
                continue;
            }

            var measured = type.Sum(e => e.Measured);
            var resolved = type.Sum(e => e.Resolved);
            var raised = type.Sum(e => e.Raised);
            if (measured < MinimumAlerts && resolved < MinimumAlerts)
            {
                continue;
            }

            double? response = measured == 0 ? null : (double)type.Sum(e => e.Responded) / measured;
            double? reopen = resolved == 0 ? null : (double)type.Sum(e => e.Reopened) / resolved;
            double? byThemselves = resolved == 0 ? null : (double)type.Sum(e => e.ResolvedByThemselves) / resolved;
            var passive = Share(type, raised, c => c is FollowUpChannel.MeetingAgenda or FollowUpChannel.PortalNudge or FollowUpChannel.Newsletter);
            var push = Share(type, raised, c => c is FollowUpChannel.PhoneCall or FollowUpChannel.Email or FollowUpChannel.Sms or FollowUpChannel.Letter or FollowUpChannel.InternalReview);
            var median = MedianOfMedians(type);
            var urgent = place.Urgency >= CanvasPlace.Midline;
            var sensitive = place.Sensitivity >= CanvasPlace.Midline;

            if (!urgent && reopen >= 0.25 && response < 0.5 && passive >= 0.5)
            {
                suggestions.Add(new CanvasSuggestion(type.Key, place, place with { Urgency = 65 },
                    $"{Percent(reopen)} come back within {settings.ReopenDays} days and only {Percent(response)} get a response within {settings.ResponseDays} days through passive channels: push it."));
            }
            else if (urgent && byThemselves >= 0.6 && median is { } days && days <= settings.ResponseDays && push >= 0.5)
            {
                suggestions.Add(new CanvasSuggestion(type.Key, place, place with { Urgency = 35 },
                    $"{Percent(byThemselves)} clear by themselves before anyone acts, in a median of {days:0.#} days, while push tasks go out for them: a passive channel is enough."));
            }

            if (!sensitive && response < 0.25 && reopen >= 0.25 && passive + push > 0)
            {
                suggestions.Add(new CanvasSuggestion(type.Key, place, place with { Sensitivity = 65 },
                    $"Only {Percent(response)} respond and {Percent(reopen)} come back: clients do not settle it by themselves, so it needs the advisor."));
            }
        }

        return suggestions;
    }

    private static double Share(IEnumerable<ChannelEffect> type, int raised, Func<FollowUpChannel, bool> which) =>
        raised == 0 ? 0 : (double)type.Where(e => e.Channel is { } c && which(c)).Sum(e => e.Raised) / raised;

    // The type's median over channels, weighted by how many resolved through each: close enough to steer by.
    private static double? MedianOfMedians(IEnumerable<ChannelEffect> type)
    {
        var weighted = type.Where(e => e.MedianDaysToResolution is not null).ToList();
        var total = weighted.Sum(e => e.Resolved);
        return total == 0 ? null : weighted.Sum(e => e.MedianDaysToResolution!.Value * e.Resolved) / total;
    }

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static string Percent(double? share) => share is { } s ? $"{s * 100:0}%" : "–";
}
