using NodaTime;

namespace Ensemble.Storage.Timers;

/// <summary>
/// Something that must happen once at a moment: start a process, send a reminder. Nodes claim due timers
/// with a lease; a timer is fired in the same transaction as its effect, so it happens exactly once even
/// when nodes race or die, and a lease that runs out lets another node pick the timer up again.
/// </summary>
public sealed class DueTimer
{
    public long Id { get; set; }

    /// <summary>Unique per occurrence, e.g. <c>start:annual-review:H-0042:2027-03</c>; scheduling it twice does nothing.</summary>
    public required string Key { get; set; }

    public required string Kind { get; set; }

    /// <summary>What the handler needs, as JSON.</summary>
    public required string Payload { get; set; }

    public Instant DueAt { get; set; }

    public string? LeaseOwner { get; set; }

    public Instant? LeaseUntil { get; set; }

    public Instant? FiredAt { get; set; }

    public string? FiredBy { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}
