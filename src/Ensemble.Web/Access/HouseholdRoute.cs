using Ensemble.Common;

namespace Ensemble.Web.Access;

/// <summary>
/// The household named by the route's <c>key</c>, as the access check found it: endpoints with
/// <see cref="AccessKind.Household"/> read it here instead of looking the key up a second time.
/// </summary>
public static class HouseholdRoute
{
    private const string ItemKey = "ensemble:household";

    public static HouseholdId Id(HttpContext context) =>
        context.Items[ItemKey] as HouseholdId? ?? throw new InvalidOperationException("This endpoint is not household-scoped; the access check did not resolve a household.");

    internal static void Remember(HttpContext context, HouseholdId id) => context.Items[ItemKey] = id;
}
