using Ensemble.Common;

namespace Ensemble.ServiceModel;

/// <summary>Checks a firm's edited service settings as a whole, naming the part that is wrong.</summary>
public static class ServiceSettingsRules
{
    public static Result<ServiceSettings> Validate(ServiceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var model = settings.TierModel.Validate();
        if (!model.IsSuccess)
        {
            return model.Error!;
        }

        foreach (var tier in TierModel.Tiers)
        {
            var plan = settings.PlanFor(tier);
            if (plan.Count == 0)
            {
                return Error.Invalid($"calendar.{tier}: a tier needs at least its review meeting.");
            }

            if (plan[0].Kind != TouchpointKind.Review || plan[0].MonthsAfterReview != 0)
            {
                return Error.Invalid($"calendar.{tier}[0]: the year starts with the review, 0 months after the review month.");
            }

            for (var i = 0; i < plan.Count; i++)
            {
                var p = plan[i];
                if (p.Minutes is < 5 or > 480)
                {
                    return Error.Invalid($"calendar.{tier}[{i}].minutes: a meeting lasts 5 to 480 minutes, not {p.Minutes}.");
                }

                if (p.MonthsAfterReview is < 0 or > 11)
                {
                    return Error.Invalid($"calendar.{tier}[{i}].monthsAfterReview: 0 to 11, not {p.MonthsAfterReview}.");
                }

                if (i > 0 && p.MonthsAfterReview <= plan[i - 1].MonthsAfterReview)
                {
                    return Error.Invalid($"calendar.{tier}[{i}].monthsAfterReview: meetings must be in order, each in a later month than the one before.");
                }

                if (string.IsNullOrWhiteSpace(p.Template))
                {
                    return Error.Invalid($"calendar.{tier}[{i}].template: name the process that prepares and follows up the meeting.");
                }
            }
        }

        if (settings.MeetingsPerAdvisorPerDay is < 1 or > 16)
        {
            return Error.Invalid($"meetingsPerAdvisorPerDay: 1 to 16, not {settings.MeetingsPerAdvisorPerDay}.");
        }

        if (settings.LastMeetingEndsBy <= settings.FirstMeetingAt)
        {
            return Error.Invalid("lastMeetingEndsBy: the meeting day must end after it starts.");
        }

        foreach (var (tier, count) in settings.ContactsPerYear)
        {
            if (count is < 0 or > 366)
            {
                return Error.Invalid($"contactsPerYear.{tier}: 0 to 366, not {count}.");
            }
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < settings.Topics.Count; i++)
        {
            var topic = settings.Topics[i];
            if (string.IsNullOrWhiteSpace(topic.Key) || string.IsNullOrWhiteSpace(topic.Title))
            {
                return Error.Invalid($"topics[{i}]: a topic needs a key and a title.");
            }

            if (!keys.Add(topic.Key))
            {
                return Error.Invalid($"topics[{i}].key: '{topic.Key}' is used twice.");
            }
        }

        return settings;
    }
}
