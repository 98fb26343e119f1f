using Ensemble.Common;
using NodaTime;

namespace Ensemble.Storage.Access;

/// <summary>
/// A staff member's sign-in: a hashed password, lockout state and an optional authenticator (TOTP) key.
/// Secrets never reach the audit trail (see <see cref="AuditCapture"/>).
/// </summary>
public sealed class UserAccount
{
    public long Id { get; set; }

    public StaffId StaffId { get; set; }

    /// <summary>The staff handle people sign in with.</summary>
    public required string UserName { get; set; }

    public required string NormalizedUserName { get; set; }

    public string? PasswordHash { get; set; }

    public required string SecurityStamp { get; set; }

    public int AccessFailedCount { get; set; }

    public Instant? LockoutEnd { get; set; }

    public bool TwoFactorEnabled { get; set; }

    public string? AuthenticatorKey { get; set; }
}
