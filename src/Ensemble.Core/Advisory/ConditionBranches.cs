using System.Linq.Expressions;
using System.Reflection;

namespace Ensemble.Advisory;

/// <summary>
/// Turns a bound condition (an expression worth 1, 0 or NaN) into jumps to "true", "false" and "not known",
/// so a rule stops at the first condition that settles it — <c>known(x) and …</c> with x missing reads nothing
/// more — instead of working every part out as a number and combining them. Gives the same outcome as the
/// value: and, or and not follow <see cref="RuleMath"/>'s three-valued tables, and the rare path where the
/// left side is not known falls back to the right side's value rather than copying its branches, so code
/// grows at most linearly however deeply a firm nests its conditions.
/// </summary>
internal sealed class ConditionBranches
{
    private static readonly MethodInfo IsNaN = typeof(double).GetMethod(nameof(double.IsNaN), [typeof(double)])!;
    private static readonly ConstantExpression One = Expression.Constant(1.0);
    private static readonly ConstantExpression Zero = Expression.Constant(0.0);

    /// <summary>The statements emitted so far, in order; labels are among them.</summary>
    public List<Expression> Code { get; } = [];

    /// <summary>Locals the statements use; declare them on the block that holds <see cref="Code"/>.</summary>
    public List<ParameterExpression> Temporaries { get; } = [];

    /// <summary>Appends code that evaluates <paramref name="condition"/> and jumps to the label for its outcome.</summary>
    public void Emit(Expression condition, LabelTarget onTrue, LabelTarget onFalse, LabelTarget onUnknown)
    {
        if (condition is MethodCallExpression call && call.Method.DeclaringType == typeof(RuleMath))
        {
            var args = call.Arguments;
            switch (call.Method.Name)
            {
                case nameof(RuleMath.And):
                {
                    var leftTrue = Expression.Label();
                    var leftUnknown = Expression.Label();
                    Emit(args[0], leftTrue, onFalse, leftUnknown);
                    Code.Add(Expression.Label(leftTrue));
                    Emit(args[1], onTrue, onFalse, onUnknown);
                    Code.Add(Expression.Label(leftUnknown));
                    Code.Add(Expression.IfThenElse(Expression.Equal(args[1], Zero), Expression.Goto(onFalse), Expression.Goto(onUnknown)));
                    return;
                }

                case nameof(RuleMath.Or):
                {
                    var leftFalse = Expression.Label();
                    var leftUnknown = Expression.Label();
                    Emit(args[0], onTrue, leftFalse, leftUnknown);
                    Code.Add(Expression.Label(leftFalse));
                    Emit(args[1], onTrue, onFalse, onUnknown);
                    Code.Add(Expression.Label(leftUnknown));
                    Code.Add(Expression.IfThenElse(Expression.Equal(args[1], One), Expression.Goto(onTrue), Expression.Goto(onUnknown)));
                    return;
                }

                case nameof(RuleMath.Not):
                    Emit(args[0], onFalse, onTrue, onUnknown);
                    return;

                case nameof(RuleMath.Known):
                    Code.Add(Expression.IfThenElse(Expression.Call(IsNaN, args[0]), Expression.Goto(onFalse), Expression.Goto(onTrue)));
                    return;

                case nameof(RuleMath.Less):
                    Compare(Expression.LessThan, Expression.GreaterThanOrEqual, args[0], args[1], onTrue, onFalse, onUnknown);
                    return;

                case nameof(RuleMath.LessOrEqual):
                    Compare(Expression.LessThanOrEqual, Expression.GreaterThan, args[0], args[1], onTrue, onFalse, onUnknown);
                    return;
            }
        }

        // Anything else (equality, a flag fact, yes/no) is worked out as a value and classified.
        var value = Temporary(condition);
        Code.Add(Expression.IfThen(Expression.Equal(value, One), Expression.Goto(onTrue)));
        Code.Add(Expression.IfThenElse(Expression.Equal(value, Zero), Expression.Goto(onFalse), Expression.Goto(onUnknown)));
    }

    private void Compare(
        Func<Expression, Expression, BinaryExpression> holds, Func<Expression, Expression, BinaryExpression> fails,
        Expression left, Expression right, LabelTarget onTrue, LabelTarget onFalse, LabelTarget onUnknown)
    {
        // A comparison with NaN is neither true nor false: both tests fail and the comparison is not known.
        var a = Temporary(left);
        var b = Temporary(right);
        Code.Add(Expression.IfThen(holds(a, b), Expression.Goto(onTrue)));
        Code.Add(Expression.IfThenElse(fails(a, b), Expression.Goto(onFalse), Expression.Goto(onUnknown)));
    }

    private Expression Temporary(Expression value)
    {
        if (value is ConstantExpression or ParameterExpression)
        {
            return value;
        }

        var temporary = Expression.Variable(typeof(double));
        Temporaries.Add(temporary);
        Code.Add(Expression.Assign(temporary, value));
        return temporary;
    }
}
