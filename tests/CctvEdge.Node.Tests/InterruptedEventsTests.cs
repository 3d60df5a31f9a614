using System.Text.Json;
using System.Threading.Channels;
using CctvEdge.Harness;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Outbox;
using CctvEdge.Plugins.Sdk;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Node.Tests;

public sealed class InterruptedEventsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task StartAsync_EventLeftOpenByPreviousRun_ClosedAtLastFrameAsInterruptedAndToldToObservers()
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds());
        var camera = TestCamera.Create(_temp.Combine("camera"));
        await using (var crashed = await TestOutbox.OpenAsync(_temp.Path))
        {
            await crashed.Results.AppendAsync(OutboxTests.Event("e1", start, end: null), CancellationToken.None).AsTask().WaitAsync(Timeout);
            camera.Status.FrameArrived(start.AddSeconds(7));
            await Closer(crashed, new CameraSet(camera, Task.CompletedTask)).SaveLastFramesAsync(CancellationToken.None).WaitAsync(Timeout);
        }

        await using var outbox = await TestOutbox.OpenAsync(_temp.Path);

        var (told, publisher) = await StartAndHearFirstAsync(outbox, camera);

        Assert.Equal(("e1", "motion", start.AddSeconds(7)), (told.EventId, publisher, told.End));
        var sent = (await outbox.Results.ReadAfterAsync(0, 10, CancellationToken.None)).Last().Event;
        Assert.Equal(start.AddSeconds(7), sent.End.ToDateTimeOffset());
        Assert.True(JsonDocument.Parse(sent.PayloadJson).RootElement.GetProperty("interrupted").GetBoolean());
        Assert.Equal(3, JsonDocument.Parse(sent.PayloadJson).RootElement.GetProperty("motionFrames").GetInt32());
        // Ended now, it waits for a clip job to cover its end.
        await using var connection = await outbox.Database.OpenAsync(CancellationToken.None);
        Assert.True(Assert.Single(await OpenEventRows.ReadAllAsync(connection)).Ended);
    }

    [Fact]
    public async Task StartAsync_EventOpenedByThisRunBeforeCamerasReady_LeftOpen()
    {
        await using var outbox = await TestOutbox.OpenAsync();
        var ready = new TaskCompletionSource();
        var closer = Closer(outbox, new CameraSet(TestCamera.Create(_temp.Combine("camera")), ready.Task));

        await closer.StartAsync(CancellationToken.None).WaitAsync(Timeout);
        await outbox.Results.AppendAsync(OutboxTests.Event("new", DateTimeOffset.UtcNow, end: null), CancellationToken.None).AsTask().WaitAsync(Timeout);
        ready.SetResult();
        var closed = await closer.CloseLeftOpenAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(0, closed);
        await using var connection = await outbox.Database.OpenAsync(CancellationToken.None);
        var row = Assert.Single(await OpenEventRows.ReadAllAsync(connection));
        Assert.Equal(("new", false), (row.Event.EventId, row.Ended));
        Assert.All(await outbox.Results.ReadAfterAsync(0, 10, CancellationToken.None), r => Assert.Null(r.Event.End));
        await closer.StopAsync(CancellationToken.None).WaitAsync(Timeout);
    }

    [Fact]
    public async Task StopAsync_EventStillOpen_EndedAtLastFrameAsInterruptedAndKeptForItsClip()
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds());
        var camera = TestCamera.Create(_temp.Combine("camera"));
        await using var outbox = await TestOutbox.OpenAsync(_temp.Path);
        var closer = Closer(outbox, new CameraSet(camera, Task.CompletedTask));
        await closer.StartAsync(CancellationToken.None).WaitAsync(Timeout);
        await outbox.Results.AppendAsync(OutboxTests.Event("e1", start, end: null), CancellationToken.None).AsTask().WaitAsync(Timeout);
        camera.Status.FrameArrived(start.AddSeconds(5));

        await closer.StopAsync(CancellationToken.None).WaitAsync(Timeout);

        var sent = (await outbox.Results.ReadAfterAsync(0, 10, CancellationToken.None)).Last().Event;
        Assert.Equal(("e1", start.AddSeconds(5)), (sent.EventId, sent.End?.ToDateTimeOffset()));
        Assert.True(JsonDocument.Parse(sent.PayloadJson).RootElement.GetProperty("interrupted").GetBoolean());
        await using var connection = await outbox.Database.OpenAsync(CancellationToken.None);
        Assert.True(Assert.Single(await OpenEventRows.ReadAllAsync(connection)).Ended);
    }

    [Fact]
    public async Task StopAsync_StopTimeRunOut_DoesNotThrowAndTheNextStartEndsTheEvent()
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds());
        var camera = TestCamera.Create(_temp.Combine("camera"));
        await using (var stopping = await TestOutbox.OpenAsync(_temp.Path))
        {
            var closer = Closer(stopping, new CameraSet(camera, Task.CompletedTask));
            await closer.StartAsync(CancellationToken.None).WaitAsync(Timeout);
            await stopping.Results.AppendAsync(OutboxTests.Event("e1", start, end: null), CancellationToken.None).AsTask().WaitAsync(Timeout);
            camera.Status.FrameArrived(start.AddSeconds(5));

            // The host's shutdown timeout has passed by the time this service is stopped.
            await closer.StopAsync(new CancellationToken(canceled: true)).WaitAsync(Timeout);

            await using var connection = await stopping.Database.OpenAsync(CancellationToken.None);
            Assert.False(Assert.Single(await OpenEventRows.ReadAllAsync(connection)).Ended);
        }

        await using var outbox = await TestOutbox.OpenAsync(_temp.Path);
        var (told, _) = await StartAndHearFirstAsync(outbox, camera);

        Assert.Equal("e1", told.EventId);
        Assert.NotNull(told.End);
    }

    [Fact]
    public async Task StartAsync_EventEndedButUnclippedByPreviousRun_ToldToObserversAgainNothingAppended()
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds());
        var camera = TestCamera.Create(_temp.Combine("camera"));
        await using (var crashed = await TestOutbox.OpenAsync(_temp.Path))
        {
            // Ended; the run died during the post-roll, before the recording plugin asked for the clip.
            await crashed.Results.AppendAsync(OutboxTests.Event("e1", start, end: null), CancellationToken.None).AsTask().WaitAsync(Timeout);
            await crashed.Results.AppendAsync(OutboxTests.Event("e1", start, start.AddSeconds(4)), CancellationToken.None).AsTask().WaitAsync(Timeout);
        }

        await using var outbox = await TestOutbox.OpenAsync(_temp.Path);

        var (told, publisher) = await StartAndHearFirstAsync(outbox, camera);

        Assert.Equal(("e1", "motion", start, start.AddSeconds(4)), (told.EventId, publisher, told.Start, told.End));
        Assert.False(((JsonElement)told.Payload!).TryGetProperty("interrupted", out _));
        // The server has this end already: nothing new goes out, and the row waits for the clip job.
        Assert.Equal(2, (await outbox.Results.ReadAfterAsync(0, 10, CancellationToken.None)).Count);
        await using var connection = await outbox.Database.OpenAsync(CancellationToken.None);
        Assert.True(Assert.Single(await OpenEventRows.ReadAllAsync(connection)).Ended);
    }

    [Fact]
    public async Task SaveLastFramesAsync_EndedEventsNobodyClipped_ForgottenAfterTheHorizonOnly()
    {
        var now = DateTimeOffset.UtcNow;
        var camera = TestCamera.Create(_temp.Combine("camera"));
        await using var outbox = await TestOutbox.OpenAsync(_temp.Path);
        var stale = now - InterruptedEvents.SettleHorizon - TimeSpan.FromMinutes(1);
        await outbox.Results.AppendAsync(OutboxTests.Event("stale", stale.AddSeconds(-5), stale), CancellationToken.None).AsTask().WaitAsync(Timeout);
        await outbox.Results.AppendAsync(OutboxTests.Event("recent", now.AddSeconds(-65), now.AddMinutes(-1)), CancellationToken.None).AsTask().WaitAsync(Timeout);
        camera.Status.FrameArrived(now);

        await Closer(outbox, new CameraSet(camera, Task.CompletedTask)).SaveLastFramesAsync(CancellationToken.None).WaitAsync(Timeout);

        await using var connection = await outbox.Database.OpenAsync(CancellationToken.None);
        Assert.Equal("recent", Assert.Single(await OpenEventRows.ReadAllAsync(connection)).Event.EventId);
    }

    [Theory]
    [InlineData("", "{\"interrupted\":true}")]
    [InlineData("{\"motionFrames\":2}", "{\"motionFrames\":2,\"interrupted\":true}")]
    [InlineData("[1,2]", "{\"payload\":[1,2],\"interrupted\":true}")]
    public void MarkInterrupted_AnyPayload_ObjectWithInterruptedTrue(string payload, string expected) =>
        Assert.Equal(expected, InterruptedEvents.MarkInterrupted(payload));

    public void Dispose() => _temp.Dispose();

    /// <summary>The next run: starts the closer with an observer on the camera, returns the first event told to it, stops.</summary>
    private static async Task<(PluginEvent Told, string Publisher)> StartAndHearFirstAsync(TestOutbox outbox, CameraWorker camera)
    {
        var observer = new Observer();
        camera.Events.Add(observer);
        var closer = Closer(outbox, new CameraSet(camera, Task.CompletedTask));
        await closer.StartAsync(CancellationToken.None).WaitAsync(Timeout);
        var heard = await observer.Seen.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        await closer.StopAsync(CancellationToken.None).WaitAsync(Timeout);
        return heard;
    }

    private static InterruptedEvents Closer(TestOutbox outbox, ICameraSet cameras) =>
        new(outbox.Database, outbox.Results, cameras, TimeProvider.System, NullLogger<InterruptedEvents>.Instance);

    private sealed class CameraSet(CameraWorker camera, Task ready) : ICameraSet
    {
        public Task Ready => ready;

        public IReadOnlyList<CameraWorker> Cameras => [camera];
    }

    private sealed class Observer : IEventSink
    {
        public Channel<(PluginEvent Event, string Publisher)> Seen { get; } = Channel.CreateUnbounded<(PluginEvent, string)>();

        public string PluginId => "recording";

        public void Offer(PluginEvent pluginEvent, string publisherId) => Seen.Writer.TryWrite((pluginEvent, publisherId));
    }
}
