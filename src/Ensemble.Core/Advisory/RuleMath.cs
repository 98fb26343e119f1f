using System.Runtime.CompilerServices;

namespace Ensemble.Advisory;

/// <summary>
/// The operations compiled rules call. Conditions are three-valued (1 true, 0 false, NaN not known) so a
/// missing fact makes a condition "not known" rather than false: <c>false and unknown</c> is false,
/// <c>true or unknown</c> is true, anything else unknown stays unknown and the rule reports it could not evaluate.
/// An overflow or a division by zero also becomes unknown, never an exception.
/// </summary>
internal static class RuleMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Finite(double x) => double.IsFinite(x) ? x : double.NaN;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double And(double a, double b) => a == 0 || b == 0 ? 0 : a == 1 && b == 1 ? 1 : double.NaN;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Or(double a, double b) => a == 1 || b == 1 ? 1 : a == 0 && b == 0 ? 0 : double.NaN;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Not(double a) => a == 0 ? 1 : a == 1 ? 0 : double.NaN;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Less(double a, double b) => a < b ? 1 : a >= b ? 0 : double.NaN;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LessOrEqual(double a, double b) => a <= b ? 1 : a > b ? 0 : double.NaN;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Equal(double a, double b) => a == b ? 1 : double.IsNaN(a) || double.IsNaN(b) ? double.NaN : 0;

    /// <summary>Amounts agree to the cent: values that went through different systems' rounding still compare equal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MoneyEqual(double a, double b) => Math.Abs(a - b) < 0.005 ? 1 : double.IsNaN(a) || double.IsNaN(b) ? double.NaN : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Known(double a) => double.IsNaN(a) ? 0 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double KnownOr(double a, double fallback) => double.IsNaN(a) ? fallback : a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Min(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);
}
