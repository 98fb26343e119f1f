using Fluid;
using Fluid.Ast;

namespace Ensemble.Communications.Campaigns;

/// <summary>
/// What a parsed template refers to, found by walking Fluid's syntax tree: every variable path it reads, the names
/// it defines itself (assign, capture, for…), the filters it calls and the tags a message may not use.
/// </summary>
internal sealed class TemplateReferences : AstVisitor
{
    /// <summary>Variables Liquid defines inside loops.</summary>
    private static readonly string[] LoopVariables = ["forloop", "tablerowloop"];

    private TemplateReferences()
    {
    }

    /// <summary>Each variable read: its root and the members after it; <c>Dynamic</c> when a member is computed (household[x]).</summary>
    public List<(string Root, IReadOnlyList<string> Members, bool Dynamic)> Paths { get; } = [];

    public HashSet<string> Locals { get; } = new(LoopVariables, StringComparer.Ordinal);

    public HashSet<string> Filters { get; } = new(StringComparer.Ordinal);

    /// <summary>Tags that reach outside the message (include, render) and so are refused.</summary>
    public HashSet<string> ForbiddenTags { get; } = new(StringComparer.Ordinal);

    public static TemplateReferences Of(IFluidTemplate template)
    {
        var references = new TemplateReferences();
        references.VisitTemplate(template);
        return references;
    }

    protected override Expression VisitMemberExpression(MemberExpression memberExpression)
    {
        var segments = memberExpression.Segments;
        if (segments.Count > 0 && segments[0] is IdentifierSegment root)
        {
            var members = new List<string>();
            var dynamic = false;
            foreach (var segment in segments.Skip(1))
            {
                switch (segment)
                {
                    case IdentifierSegment identifier:
                        members.Add(identifier.Identifier);
                        break;
                    case IndexerSegment { Expression: LiteralExpression literal } when literal.Value.Type == Fluid.Values.FluidValues.String:
                        members.Add(literal.Value.ToStringValue());
                        break;
                    default:
                        dynamic = true;
                        break;
                }
            }

            Paths.Add((root.Identifier, members, dynamic));
        }

        return base.VisitMemberExpression(memberExpression);
    }

    protected override Expression VisitFilterExpression(FilterExpression filterExpression)
    {
        Filters.Add(filterExpression.Name);
        return base.VisitFilterExpression(filterExpression);
    }

    protected override Statement VisitAssignStatement(AssignStatement assignStatement)
    {
        Locals.Add(assignStatement.Identifier);
        return base.VisitAssignStatement(assignStatement);
    }

    protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
    {
        Locals.Add(captureStatement.Identifier);
        return base.VisitCaptureStatement(captureStatement);
    }

    protected override Statement VisitForStatement(ForStatement forStatement)
    {
        Locals.Add(forStatement.Identifier);
        return base.VisitForStatement(forStatement);
    }

    protected override Statement VisitTableRowStatement(TableRowStatement tableRowStatement)
    {
        Locals.Add(tableRowStatement.Identifier);
        return base.VisitTableRowStatement(tableRowStatement);
    }

    protected override Statement VisitIncrementStatement(IncrementStatement incrementStatement)
    {
        Locals.Add(incrementStatement.Identifier);
        return base.VisitIncrementStatement(incrementStatement);
    }

    protected override Statement VisitDecrementStatement(DecrementStatement decrementStatement)
    {
        Locals.Add(decrementStatement.Identifier);
        return base.VisitDecrementStatement(decrementStatement);
    }

    protected override Statement VisitIncludeStatement(IncludeStatement includeStatement)
    {
        ForbiddenTags.Add("include");
        return base.VisitIncludeStatement(includeStatement);
    }

    protected override Statement VisitRenderStatement(RenderStatement renderStatement)
    {
        ForbiddenTags.Add("render");
        return base.VisitRenderStatement(renderStatement);
    }

    protected override Statement VisitMacroStatement(MacroStatement macroStatement)
    {
        ForbiddenTags.Add("macro");
        return base.VisitMacroStatement(macroStatement);
    }

    protected override Statement VisitFromStatement(FromStatement fromStatement)
    {
        ForbiddenTags.Add("from");
        return base.VisitFromStatement(fromStatement);
    }
}
