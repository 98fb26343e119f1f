namespace Ensemble.Web.Access;

/// <summary>
/// What an endpoint needs before it runs. Every endpoint states one (a test fails for any that does not),
/// so nothing is reachable by accident.
/// </summary>
public enum AccessKind
{
    /// <summary>No sign-in: the sign-in page, health, static files.</summary>
    Anonymous,

    /// <summary>Any signed-in staff member; results are filtered to what they may see.</summary>
    AnyStaff,

    /// <summary>The household named by the route's <c>key</c>: on its team, a backup, or firm-wide.</summary>
    Household,

    /// <summary>The task named by the route's <c>id</c>, through its household.</summary>
    Task,

    /// <summary>
    /// The same rule as <see cref="Task"/>, decided by the transition itself on the task it loads (a <c>TaskCheck</c>),
    /// so the hottest write reads the task once. The filter lets through only a well-formed id; the handler must hand
    /// the caller to the transition. The access walk test fails an endpoint that does not.
    /// </summary>
    TaskTransition,

    /// <summary>The process named by the route's <c>id</c>, through its household.</summary>
    Process,

    /// <summary>Firm administration: staff, teams, the library, the audit trail. Roles that see the whole firm.</summary>
    ManagePractice,
}

/// <summary>Endpoint metadata naming the access an endpoint needs.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AccessAttribute(AccessKind kind) : Attribute
{
    public AccessKind Kind { get; } = kind;
}
