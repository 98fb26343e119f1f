using System.Globalization;
using NodaTime.Text;

namespace Ensemble.Consolidation;

/// <summary>
/// Reads a fact's value as sources write it and writes it back as people read it, per kind: money
/// (<c>250000</c>, <c>250,000.50</c>, <c>$250,000</c>), percent (<c>35</c> or <c>35%</c>, stored as 35),
/// dates (<c>yyyy-MM-dd</c>, stored as day numbers) and flags (yes/no, true/false, 1/0).
/// </summary>
public static class FactValueText
{
    /// <summary>Parses <paramref name="text"/> as a value of <paramref name="kind"/>; the error says what was expected.</summary>
    public static bool TryParse(FactKind kind, string text, out double value, out string error)
    {
        value = double.NaN;
        error = "";
        var t = text.Trim();
        switch (kind)
        {
            case FactKind.Money:
                if (TryNumber(t.Replace("$", "", StringComparison.Ordinal), allowGrouping: true, out value))
                {
                    return true;
                }

                error = $"\"{text}\" is not an amount (expected a number such as 250000 or 250,000.50)";
                return false;
            case FactKind.Percent:
                if (TryNumber(t.EndsWith('%') ? t[..^1].TrimEnd() : t, allowGrouping: false, out value))
                {
                    return true;
                }

                error = $"\"{text}\" is not a percentage (expected a number such as 35 or 35%)";
                return false;
            case FactKind.Number:
                if (TryNumber(t, allowGrouping: true, out value))
                {
                    return true;
                }

                error = $"\"{text}\" is not a number";
                return false;
            case FactKind.Date:
                var date = LocalDatePattern.Iso.Parse(t);
                if (date.Success)
                {
                    value = FactSheet.FromDate(date.Value);
                    return true;
                }

                error = $"\"{text}\" is not a date (expected yyyy-MM-dd)";
                return false;
            case FactKind.Flag:
                switch (t.ToLowerInvariant())
                {
                    case "yes" or "true" or "y" or "1":
                        value = 1;
                        return true;
                    case "no" or "false" or "n" or "0":
                        value = 0;
                        return true;
                    default:
                        error = $"\"{text}\" is not yes or no (true/false and 1/0 also work)";
                        return false;
                }

            default:
                error = "a choice cannot be sent by a source";
                return false;
        }
    }

    /// <summary>The value as people read it: 250,000.00; 35%; 2027-03-31; yes.</summary>
    public static string Format(FactKind kind, double value, IReadOnlyList<string>? options = null)
    {
        if (double.IsNaN(value))
        {
            return "—";
        }

        return kind switch
        {
            FactKind.Money => value.ToString("#,##0.00", CultureInfo.InvariantCulture),
            FactKind.Percent => value.ToString("0.##", CultureInfo.InvariantCulture) + "%",
            FactKind.Date => FactSheet.ToDate(value).ToString("uuuu-MM-dd", CultureInfo.InvariantCulture),
            FactKind.Flag => value != 0 ? "yes" : "no",
            FactKind.Choice when options is not null && value >= 0 && value < options.Count => options[(int)value],
            _ => value.ToString("0.##", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// Whether two sources agree. Money within a cent is the same amount (systems round differently);
    /// other kinds must be equal (a percentage to a hundredth of a point).
    /// </summary>
    public static bool Agree(FactKind kind, double a, double b) => kind switch
    {
        FactKind.Money => Math.Abs(a - b) < 0.01 + 1e-9,
        FactKind.Percent => Math.Abs(a - b) < 0.005,
        _ => a == b,
    };

    private static bool TryNumber(string text, bool allowGrouping, out double value)
    {
        value = double.NaN;
        if (text.Length == 0 || (allowGrouping && !GroupingIsRegular(text)))
        {
            return false;
        }

        var styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | (allowGrouping ? NumberStyles.AllowThousands : NumberStyles.None);
        return double.TryParse(text, styles, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    // "1,2,3" parses with AllowThousands; a grouped amount must have groups of three digits.
    private static bool GroupingIsRegular(string text)
    {
        if (!text.Contains(',', StringComparison.Ordinal))
        {
            return true;
        }

        var whole = text.Split('.')[0].TrimStart('-', '+');
        var groups = whole.Split(',');
        return groups[0].Length is >= 1 and <= 3 && groups.Skip(1).All(g => g.Length == 3);
    }
}
