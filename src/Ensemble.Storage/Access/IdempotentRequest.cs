using NodaTime;

namespace Ensemble.Storage.Access;

/// <summary>
/// The answer given to a POST that carried an Idempotency-Key, kept so a retry of the same request gets the
/// same answer and changes nothing. Keys are scoped to the caller.
/// </summary>
public sealed class IdempotentRequest
{
    public required string Key { get; set; }

    public required string Caller { get; set; }

    /// <summary>Method, path and a hash of the body: the same key with a different request is refused.</summary>
    public required string Fingerprint { get; set; }

    public int StatusCode { get; set; }

    public string? ContentType { get; set; }

    public string? Body { get; set; }

    public Instant CreatedAt { get; set; }
}
