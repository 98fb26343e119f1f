using Ensemble.Common;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Opportunities;

/// <summary>A problem with one field of what someone typed, named as the API and forms name it (camelCase).</summary>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>What an opportunity is and is worth, checked and typed; the role is not yet known to exist.</summary>
public sealed record OpportunityDraft(
    OpportunityKind Kind,
    string Title,
    Money? EstimatedAssets,
    Money? EstimatedRevenue,
    string OwnerRole,
    LocalDate? ExpectedClose,
    TouchpointId? TouchpointId);

/// <summary>
/// An opportunity as typed into a form, the API or the command line: text and numbers not yet trusted.
/// <see cref="Read"/> checks every field at once and names each one at fault.
/// </summary>
public sealed record OpportunityInput(
    string? Kind,
    string? Title,
    decimal? EstimatedAssets,
    decimal? EstimatedRevenue,
    string? OwnerRole,
    string? ExpectedClose,
    long? TouchpointId = null)
{
    public const int TitleLength = 300;
    public const int RoleLength = 80;
    public const int NoteLength = 2000;

    /// <summary>A trillion: far above any household, far below what the columns hold.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    /// <summary>
    /// Checks the fields. An expected close date may not lie before <paramref name="earliestClose"/> (today when
    /// opening; when revising, the day it was opened) nor more than ten years after it.
    /// </summary>
    public (OpportunityDraft? Draft, IReadOnlyList<FieldError> Errors) Read(LocalDate earliestClose)
    {
        var errors = new List<FieldError>();
        var kind = OpportunityStages.ParseKind(Kind);
        if (kind is null)
        {
            errors.Add(new("kind", string.IsNullOrWhiteSpace(Kind)
                ? $"Say what kind of business it is: {OpportunityStages.KindChoices}."
                : $"\"{Kind}\" is not a kind of opportunity; use {OpportunityStages.KindChoices}."));
        }

        var title = Title?.Trim() ?? "";
        if (title.Length == 0)
        {
            errors.Add(new("title", "Give the opportunity a title, e.g. \"Roll over the old 401(k)\"."));
        }
        else if (title.Length > TitleLength)
        {
            errors.Add(new("title", $"A title can be at most {TitleLength} characters (this one has {title.Length})."));
        }

        Amount("estimatedAssets", "Estimated assets", EstimatedAssets, errors);
        Amount("estimatedRevenue", "Estimated yearly revenue", EstimatedRevenue, errors);

        var role = Practice.RoleKeys.Normalize(OwnerRole ?? "");
        if (role.Length == 0)
        {
            errors.Add(new("ownerRole", "Name the role that moves it on, e.g. wealth-partner."));
        }
        else if (role.Length > RoleLength)
        {
            errors.Add(new("ownerRole", $"A role key can be at most {RoleLength} characters."));
        }

        LocalDate? close = null;
        if (!string.IsNullOrWhiteSpace(ExpectedClose))
        {
            var parsed = LocalDatePattern.Iso.Parse(ExpectedClose.Trim());
            if (!parsed.Success)
            {
                errors.Add(new("expectedClose", $"\"{ExpectedClose}\" is not a date; write it as yyyy-MM-dd, e.g. 2027-02-01."));
            }
            else if (parsed.Value < earliestClose)
            {
                errors.Add(new("expectedClose", $"The expected close {parsed.Value:uuuu-MM-dd} is before {earliestClose:uuuu-MM-dd}."));
            }
            else if (parsed.Value > earliestClose.PlusYears(10))
            {
                errors.Add(new("expectedClose", $"The expected close {parsed.Value:uuuu-MM-dd} is more than ten years away."));
            }
            else
            {
                close = parsed.Value;
            }
        }

        if (TouchpointId is <= 0)
        {
            errors.Add(new("touchpointId", "A touchpoint id is a positive number."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var draft = new OpportunityDraft(
            kind!.Value, title, Money(EstimatedAssets), Money(EstimatedRevenue), role, close,
            TouchpointId is { } touchpoint ? new TouchpointId(touchpoint) : null);
        return (draft, errors);
    }

    private static Money? Money(decimal? amount) => amount is { } a ? new Money(decimal.Round(a, 2)) : null;

    private static void Amount(string field, string what, decimal? amount, List<FieldError> errors)
    {
        if (amount < 0)
        {
            errors.Add(new(field, $"{what} cannot be negative."));
        }
        else if (amount > MaxAmount)
        {
            errors.Add(new(field, $"{what} of {amount:#,0} is beyond any household; check the figure."));
        }
    }
}
