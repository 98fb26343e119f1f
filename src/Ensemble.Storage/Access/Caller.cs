using Ensemble.Common;

namespace Ensemble.Storage.Access;

/// <summary>
/// Who is asking, as far as access goes: a staff member, the roles they hold, and whether one of those
/// roles sees the whole firm.
/// </summary>
public sealed record Caller(StaffId StaffId, string Handle, string Name, IReadOnlyList<string> Roles, bool SeesWholeFirm);
