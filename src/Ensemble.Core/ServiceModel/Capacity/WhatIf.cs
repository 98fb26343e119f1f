using Ensemble.Common;

namespace Ensemble.ServiceModel.Capacity;

/// <summary>A change of tiers to try out before making it.</summary>
public abstract record WhatIf;

/// <summary>Move the named households (by key) to a tier.</summary>
public sealed record MoveHouseholds(IReadOnlyList<string> Keys, ServiceTier To) : WhatIf;

/// <summary>
/// Move <see cref="Count"/> households from one tier to another, choosing those closest to the new tier:
/// moving up, the ones with the most criteria supporting it; moving down, the ones with the fewest
/// supporting the tier they leave. Ties go by household key.
/// </summary>
public sealed record MoveClosest(int Count, ServiceTier From, ServiceTier To) : WhatIf;

/// <summary>One household the what-if moved.</summary>
public sealed record HouseholdMove(string Key, ServiceTier From, ServiceTier To);

/// <summary>A month (or the year, when <see cref="Month"/> is null) before and after the change; <see cref="Change"/> is the change in hours needed.</summary>
public sealed record LoadChange(int? Month, Load Before, Load After, double Change);

public sealed record RoleChange(string Key, string Name, IReadOnlyList<LoadChange> Months, LoadChange Year);

public sealed record PersonChange(StaffId Id, string Handle, string Name, IReadOnlyList<LoadChange> Months, LoadChange Year);

/// <summary>
/// What a what-if does to the hours: the households moved, and for every role and person whose
/// hours change, each month before and after. Households planned from stored touchpoints are planned
/// from their new tier once moved, since their laid-out year no longer fits it.
/// </summary>
public sealed record WhatIfResult(string Description, IReadOnlyList<HouseholdMove> Moved, IReadOnlyList<RoleChange> Roles, IReadOnlyList<PersonChange> People);
