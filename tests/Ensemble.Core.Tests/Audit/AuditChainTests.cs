using Ensemble.Audit;
using NodaTime;

namespace Ensemble.Tests.Audit;

public sealed class AuditChainTests
{
    private static List<AuditEvent> Chain(int count)
    {
        var events = new List<AuditEvent>();
        var previous = AuditChain.Genesis;
        for (var i = 1; i <= count; i++)
        {
            var at = Instant.FromUtc(2026, 11, 24, 10, 0).Plus(Duration.FromSeconds(i));
            var hash = AuditChain.ComputeHash(i, at, "alice", 7, "WorkTask", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "updated", "complete-task", "{}", "{\"Status\":\"Done\"}", previous);
            events.Add(new AuditEvent(i, at, "alice", 7, "WorkTask", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "updated", "complete-task", "{}", "{\"Status\":\"Done\"}", previous, hash));
            previous = hash;
        }

        return events;
    }

    [Fact]
    public void Verify_AcceptsAnUntouchedChain()
    {
        var events = Chain(5);
        var result = AuditChain.Verify(events, new AuditHead(5, events[^1].Hash));
        Assert.True(result.IsIntact);
        Assert.Equal(5, result.EventsChecked);
    }

    [Fact]
    public void Verify_WhenAFieldWasEdited_NamesThatEvent()
    {
        var events = Chain(5);
        events[2] = events[2] with { Actor = "mallory" };

        var result = AuditChain.Verify(events, new AuditHead(5, events[^1].Hash));

        Assert.Equal(3, result.FirstBadSequence);
    }

    [Fact]
    public void Verify_WhenTheTailWasCut_ReportsTruncation()
    {
        var events = Chain(5);
        var result = AuditChain.Verify(events.Take(3), new AuditHead(5, events[^1].Hash));

        Assert.False(result.IsIntact);
        Assert.Equal(4, result.FirstBadSequence);
        Assert.Contains("truncated", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WhenAnEventWasRehashedAfterEditing_StillBreaksAtTheNextLink()
    {
        var events = Chain(5);
        var forged = events[1] with { Actor = "mallory" };
        events[1] = forged with { Hash = AuditChain.ComputeHash(forged) };

        var result = AuditChain.Verify(events, new AuditHead(5, events[^1].Hash));

        Assert.Equal(3, result.FirstBadSequence);
    }

    [Fact]
    public void Hash_DistinguishesFieldBoundaries()
    {
        var at = Instant.FromUtc(2026, 1, 1, 0, 0);
        var a = AuditChain.ComputeHash(1, at, "ab", null, "c", "1", "x", null, null, null, AuditChain.Genesis);
        var b = AuditChain.ComputeHash(1, at, "a", null, "bc", "1", "x", null, null, null, AuditChain.Genesis);
        Assert.NotEqual(a, b);
    }
}
