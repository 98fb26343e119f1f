using System.Globalization;
using Ensemble.Common;

namespace Ensemble.ServiceModel.Capacity;

/// <summary>Reads what-ifs and tiers as people type them: "20:B:A", "HH-1,HH-2:A", "b", "unsegmented".</summary>
public static class WhatIfText
{
    public static Result<ServiceTier> Tier(string? text, string field) => text?.Trim().ToUpperInvariant() switch
    {
        "A" => ServiceTier.A,
        "B" => ServiceTier.B,
        "C" => ServiceTier.C,
        "U" or "UNSEGMENTED" => ServiceTier.Unsegmented,
        _ => Error.Invalid($"{field}: \"{text}\" is not a tier; use A, B, C or unsegmented."),
    };

    /// <summary>"20:B:A": move the 20 tier-B households closest to A into A.</summary>
    public static Result<MoveClosest> Move(string text, string field = "what-if-move")
    {
        var parts = (text ?? "").Split(':', StringSplitOptions.TrimEntries);
        if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            return Error.Invalid($"{field}: \"{text}\" should be COUNT:FROM:TO, e.g. 20:B:A to move 20 households from tier B to tier A.");
        }

        var from = Tier(parts[1], field);
        if (!from.IsSuccess)
        {
            return from.Error!;
        }

        var to = Tier(parts[2], field);
        return to.IsSuccess ? new MoveClosest(count, from.Value, to.Value) : to.Error!;
    }

    /// <summary>"HH-1,HH-2:A": move these households to tier A.</summary>
    public static Result<MoveHouseholds> Households(string text, string field = "what-if-households")
    {
        var at = (text ?? "").LastIndexOf(':');
        var keys = at < 0 ? [] : text![..at].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (keys.Length == 0)
        {
            return Error.Invalid($"{field}: \"{text}\" should be KEY,KEY:TIER, e.g. HH-1,HH-2:A to move those two households to tier A.");
        }

        var to = Tier(text![(at + 1)..], field);
        return to.IsSuccess ? new MoveHouseholds(keys, to.Value) : to.Error!;
    }
}
