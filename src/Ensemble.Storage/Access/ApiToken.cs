using Ensemble.Common;
using NodaTime;

namespace Ensemble.Storage.Access;

/// <summary>
/// A bearer token an integration uses to call the API as a staff member. Only a SHA-256 hash is kept;
/// the token itself is shown once, when it is issued.
/// </summary>
public sealed class ApiToken
{
    public long Id { get; set; }

    public StaffId StaffId { get; set; }

    public required string Name { get; set; }

    public required string Hash { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant? RevokedAt { get; set; }
}
