using CctvEdge.Node.Uplink;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Node.Tests;

public sealed class OutboxTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void SequenceCounter_NewProcess_ContinuesAboveEverythingHandedOut()
    {
        var first = new SequenceCounter(_temp.Path);
        var handedOut = Enumerable.Range(0, 1500).Select(_ => first.Next()).ToList();

        var afterRestart = new SequenceCounter(_temp.Path);

        Assert.Equal(Enumerable.Range(1, 1500).Select(i => (ulong)i), handedOut);
        Assert.True(afterRestart.Next() > handedOut[^1]);
    }

    [Fact]
    public void Acknowledge_RemovesUpToSequence_ReadAfterReturnsTheRestInOrder()
    {
        var outbox = NewOutbox(100);
        for (var i = 0; i < 10; i++)
        {
            outbox.Append(Measurement(i));
        }

        outbox.Acknowledge(4);

        Assert.Equal(6, outbox.PendingCount);
        Assert.Equal([5UL, 6, 7], outbox.ReadAfter(4, 3).Select(r => r.Sequence));
        Assert.Equal([9UL, 10], outbox.ReadAfter(8, 10).Select(r => r.Sequence));
    }

    [Fact]
    public void Append_BeyondCapacity_DropsOldestAndCountsTheLoss()
    {
        var outbox = NewOutbox(100);

        for (var i = 0; i < 130; i++)
        {
            outbox.Append(Measurement(i));
        }

        Assert.Equal(100, outbox.PendingCount);
        Assert.Equal(30, outbox.LostCount);
        Assert.Equal(31UL, outbox.ReadAfter(0, 1)[0].Sequence);
    }

    [Fact]
    public void Rebase_ServerAheadOfCounter_RenumbersPendingAboveServer()
    {
        var outbox = NewOutbox(100);
        outbox.Append(Measurement(1));
        outbox.Append(Measurement(2));

        outbox.Rebase(5000);

        Assert.Equal([5001UL, 5002], outbox.ReadAfter(0, 10).Select(r => r.Sequence));
        Assert.Equal(5003UL, outbox.Append(Measurement(3)));
    }

    [Fact]
    public void Rebase_ServerBehindCounter_ChangesNothing()
    {
        var outbox = NewOutbox(100);
        outbox.Append(Measurement(1));

        outbox.Rebase(0);

        Assert.Equal(1UL, outbox.ReadAfter(0, 10).Single().Sequence);
    }

    public void Dispose() => _temp.Dispose();

    private MemoryResultOutbox NewOutbox(int capacity) => new(new SequenceCounter(_temp.Combine(Guid.NewGuid().ToString("N"))), capacity, NullLogger<MemoryResultOutbox>.Instance);

    private static Result Measurement(int value) => new()
    {
        CameraId = "yard",
        PluginId = "test",
        Measurement = new Measurement { Name = "n", Value = value, At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) },
    };
}
