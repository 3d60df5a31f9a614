using CctvEdge.Harness;
using CctvEdge.Node.Outbox;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;

namespace CctvEdge.Node.Tests;

public sealed class OutboxTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task AppendAsync_ThenReopen_ResultsSurviveAndSequencesKeepGrowing()
    {
        var sequences = new List<ulong>();
        await using (var outbox = await TestOutbox.OpenAsync(_temp.Path))
        {
            for (var i = 0; i < 5; i++)
            {
                sequences.Add(await outbox.Results.AppendAsync(Measurement(i), CancellationToken.None).AsTask().WaitAsync(Timeout));
            }
        }

        await using var reopened = await TestOutbox.OpenAsync(_temp.Path);

        Assert.Equal([1UL, 2, 3, 4, 5], sequences);
        Assert.Equal(5, reopened.Results.PendingCount);
        Assert.Equal(sequences, (await reopened.Results.ReadAfterAsync(0, 10, CancellationToken.None)).Select(r => r.Sequence));
        Assert.Equal(6UL, await reopened.Results.AppendAsync(Measurement(6), CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_ManyAtOnce_SharedCommitsKeepEveryResultInOrder()
    {
        await using var outbox = await TestOutbox.OpenAsync();

        var appended = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => outbox.Results.AppendAsync(Measurement(i), CancellationToken.None).AsTask())).WaitAsync(Timeout);

        Assert.Equal(Enumerable.Range(1, 500).Select(i => (ulong)i), appended.Order());
        var stored = await outbox.Results.ReadAfterAsync(0, 1000, CancellationToken.None);
        Assert.Equal(500, stored.Count);
        Assert.All(stored, r => Assert.Equal(r.Measurement.Value, appended.ToList().IndexOf(r.Sequence)));
    }

    [Fact]
    public async Task Acknowledge_HidesAcknowledgedAndDeletesThemInTheBackground()
    {
        await using var outbox = await TestOutbox.OpenAsync();
        for (var i = 0; i < 10; i++)
        {
            await outbox.Results.AppendAsync(Measurement(i), CancellationToken.None);
        }

        outbox.Results.Acknowledge(4);

        Assert.Equal([5UL, 6, 7], (await outbox.Results.ReadAfterAsync(0, 3, CancellationToken.None)).Select(r => r.Sequence));
        await Eventually.TrueAsync(() => outbox.Results.PendingCount == 6, Timeout, "acknowledged rows to be deleted");
    }

    [Fact]
    public async Task AppendAsync_BeyondCapacity_DropsOldestAndAppendsALossReport()
    {
        await using var outbox = await TestOutbox.OpenAsync(capacity: 100);

        for (var i = 0; i < 130; i++)
        {
            await outbox.Results.AppendAsync(Measurement(i), CancellationToken.None);
        }

        Assert.True(outbox.Results.LostCount >= 30, $"lost {outbox.Results.LostCount}");
        var pending = await outbox.Results.ReadAfterAsync(0, 1000, CancellationToken.None);
        Assert.True(pending.Count <= 101);
        var reports = pending.Where(r => r.BodyCase == Result.BodyOneofCase.Event && r.Event.Kind == LossReport.Kind).ToList();
        Assert.NotEmpty(reports);
        Assert.Contains("\"lost\":\"results\"", reports[^1].Event.PayloadJson, StringComparison.Ordinal);
        Assert.Equal(129.0, pending.Last(r => r.BodyCase == Result.BodyOneofCase.Measurement).Measurement.Value);
    }

    [Fact]
    public async Task RebaseAsync_ServerAheadOfNode_RenumbersPendingAboveServer()
    {
        await using var outbox = await TestOutbox.OpenAsync();
        await outbox.Results.AppendAsync(Measurement(1), CancellationToken.None);
        await outbox.Results.AppendAsync(Measurement(2), CancellationToken.None);

        await outbox.Results.RebaseAsync(5000, CancellationToken.None);

        Assert.Equal([5001UL, 5002], (await outbox.Results.ReadAfterAsync(0, 10, CancellationToken.None)).Select(r => r.Sequence));
        Assert.Equal(5003UL, await outbox.Results.AppendAsync(Measurement(3), CancellationToken.None));
    }

    [Fact]
    public async Task RebaseAsync_ServerAtOrBehindNode_ChangesNothing()
    {
        await using var outbox = await TestOutbox.OpenAsync();
        await outbox.Results.AppendAsync(Measurement(1), CancellationToken.None);

        await outbox.Results.RebaseAsync(1, CancellationToken.None);

        Assert.Equal(1UL, (await outbox.Results.ReadAfterAsync(0, 10, CancellationToken.None)).Single().Sequence);
    }

    [Fact]
    public async Task StartAsync_LegacySequenceFile_ContinuesAboveIt()
    {
        Directory.CreateDirectory(_temp.Combine("state"));
        await File.WriteAllTextAsync(_temp.Combine("state", "sequence"), "7000");

        await using var outbox = await TestOutbox.OpenAsync(_temp.Path);

        Assert.Equal(7001UL, await outbox.Results.AppendAsync(Measurement(1), CancellationToken.None));
    }

    [Fact]
    public async Task DisposeAsync_Twice_SecondCallDoesNothing()
    {
        var outbox = await TestOutbox.OpenAsync();
        await outbox.Results.StopAsync().WaitAsync(Timeout);

        // The host stops the outbox, then the container disposes it: this used to throw ObjectDisposedException.
        var second = await Record.ExceptionAsync(() => outbox.Results.DisposeAsync().AsTask().WaitAsync(Timeout));

        Assert.Null(second);
        await outbox.DisposeAsync();
    }

    [Fact]
    public async Task StopAsync_AppendsQueued_AllCommittedNoneCancelled()
    {
        await using (var outbox = await TestOutbox.OpenAsync(_temp.Path))
        {
            var appends = Enumerable.Range(0, 300).Select(i => outbox.Results.AppendAsync(Measurement(i), CancellationToken.None).AsTask()).ToList();

            await outbox.Results.StopAsync().WaitAsync(Timeout);

            // Stop has committed every queued append; each caller's await resumes on the thread pool a moment
            // later, so wait for the callers rather than sampling their status. A cancelled one would throw here.
            var sequences = await Task.WhenAll(appends).WaitAsync(Timeout);
            Assert.Equal(Enumerable.Range(1, 300).Select(i => (ulong)i), sequences.Order());
        }

        await using var reopened = await TestOutbox.OpenAsync(_temp.Path);
        Assert.Equal(300, reopened.Results.PendingCount);
    }

    [Fact]
    public async Task AppendAsync_EventOpenedThenClosed_RowsFollowAndSurviveRestart()
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await using (var outbox = await TestOutbox.OpenAsync(_temp.Path))
        {
            await outbox.Results.AppendAsync(Event("e1", start, end: null), CancellationToken.None).AsTask().WaitAsync(Timeout);
            await outbox.Results.AppendAsync(Event("e2", start, end: null), CancellationToken.None).AsTask().WaitAsync(Timeout);
            await outbox.Results.AppendAsync(Event("e2", start, start.AddSeconds(3)), CancellationToken.None).AsTask().WaitAsync(Timeout);
        }

        await using var reopened = await TestOutbox.OpenAsync(_temp.Path);
        var left = await LeftOpenAsync(reopened);

        // e2 ended, but no clip job covers its end yet: it stays listed, marked ended, with its end.
        Assert.Equal(
            [("e1", false, (DateTimeOffset?)null), ("e2", true, start.AddSeconds(3))],
            left.Select(l => (l.Event.EventId, l.Ended, l.Event.End?.ToDateTimeOffset())).OrderBy(l => l.EventId));
        Assert.All(left, l => Assert.Equal(("yard", "motion", start), (l.CameraId, l.PluginId, l.LastSeen)));
    }

    [Fact]
    public async Task AddJobAsync_JobWindowHoldsAnEndedEventsEnd_ThatEventSettledOthersKept()
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await using var outbox = await TestOutbox.OpenAsync(_temp.Path);
        await outbox.Results.AppendAsync(Event("open", start, end: null), CancellationToken.None).AsTask().WaitAsync(Timeout);
        await outbox.Results.AppendAsync(Event("early", start, start.AddSeconds(3)), CancellationToken.None).AsTask().WaitAsync(Timeout);
        await outbox.Results.AppendAsync(Event("late", start, start.AddSeconds(30)), CancellationToken.None).AsTask().WaitAsync(Timeout);

        // A window that ends before "late" ended, and one of another camera: only "early" is covered.
        await outbox.Clips.AddJobAsync(new ClipJob("j1", "yard", start.AddSeconds(-2), start.AddSeconds(10), "early", "motion"), CancellationToken.None).WaitAsync(Timeout);
        await outbox.Clips.AddJobAsync(new ClipJob("j2", "gate", start, start.AddSeconds(60), "", "motion"), CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(["late", "open"], (await LeftOpenAsync(outbox)).Select(l => l.Event.EventId).Order());
    }

    private static async Task<IReadOnlyList<LeftOpenEvent>> LeftOpenAsync(TestOutbox outbox)
    {
        await using var connection = await outbox.Database.OpenAsync(CancellationToken.None);
        return await OpenEventRows.ReadAllAsync(connection);
    }

    public void Dispose() => _temp.Dispose();

    internal static Result Event(string id, DateTimeOffset start, DateTimeOffset? end)
    {
        var e = new Event { EventId = id, Kind = "motion", Start = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(start), PayloadJson = "{\"motionFrames\":3}" };
        if (end is { } ended)
        {
            e.End = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(ended);
        }

        return new Result { CameraId = "yard", PluginId = "motion", Event = e };
    }

    [Fact]
    public async Task Stats_NothingWaiting_NoOldest_ThenTheOldestResultsTime()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 5, 0, 0, TimeSpan.Zero));
        await using var outbox = await TestOutbox.OpenAsync(clock: clock);

        var empty = await outbox.Clips.StatsAsync(CancellationToken.None).WaitAsync(Timeout);
        await outbox.Results.AppendAsync(Measurement(1), CancellationToken.None).AsTask().WaitAsync(Timeout);
        clock.Advance(TimeSpan.FromMinutes(5));
        await outbox.Results.AppendAsync(Measurement(2), CancellationToken.None).AsTask().WaitAsync(Timeout);
        var waiting = await outbox.Clips.StatsAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(new ClipQueueStats(0, 0, null), empty);
        Assert.Equal(new ClipQueueStats(0, 0, new DateTimeOffset(2026, 12, 6, 5, 0, 0, TimeSpan.Zero)), waiting);
    }

    internal static Result Measurement(int value) => new()
    {
        CameraId = "yard",
        PluginId = "test",
        Measurement = new Measurement { Name = "n", Value = value, At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) },
    };
}
