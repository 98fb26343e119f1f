using System.Linq.Expressions;

namespace Ensemble.Advisory;

/// <summary>
/// Replaces a rule's named values with the expressions that compute them, so each is computed only on the
/// paths that read it (rule expressions have no side effects, so this changes no outcome; the JIT shares a
/// value read twice on one path).
/// </summary>
internal sealed class LetInliner(IReadOnlyDictionary<ParameterExpression, Expression> lets) : ExpressionVisitor
{
    public static Expression Inline(Expression expression, IReadOnlyDictionary<ParameterExpression, Expression> lets) =>
        lets.Count == 0 ? expression : new LetInliner(lets).Visit(expression);

    protected override Expression VisitParameter(ParameterExpression node) => lets.TryGetValue(node, out var value) ? value : node;
}
