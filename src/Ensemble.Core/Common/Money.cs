using System.Globalization;

namespace Ensemble.Common;

/// <summary>An amount in the firm's reporting currency. Kept as decimal so sums of account values are exact.</summary>
public readonly record struct Money(decimal Amount) : IComparable<Money>
{
    public static readonly Money Zero = new(0m);

    public static Money operator +(Money left, Money right) => new(left.Amount + right.Amount);

    public static bool operator <(Money left, Money right) => left.Amount < right.Amount;

    public static bool operator >(Money left, Money right) => left.Amount > right.Amount;

    public static bool operator <=(Money left, Money right) => left.Amount <= right.Amount;

    public static bool operator >=(Money left, Money right) => left.Amount >= right.Amount;

    public int CompareTo(Money other) => Amount.CompareTo(other.Amount);

    public override string ToString() =>
        (Amount < 0 ? "-$" : "$") + Math.Abs(Amount).ToString(decimal.Truncate(Amount) == Amount ? "#,0" : "#,0.00", CultureInfo.InvariantCulture);
}
