using System.Text.Json;
using System.Text.Json.Nodes;
using CctvEdge.Plugins.Sdk;
using CctvEdge.Protocol.V1;
using CctvEdge.Storage;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Outbox;

/// <summary>
/// Closes the events a previous run left open (kill -9, power cut, or a stop while motion went on): each gets an end at
/// the last frame its camera delivered and <c>"interrupted": true</c> in its payload, through the outbox (so the server
/// stores the end) and the camera's event bus (so observers such as the recording plugin cut the clip of what was
/// recorded, with their own pre- and post-roll, from the segment ring that survived). While events are open it saves
/// the cameras' last frame times every few seconds, one small write that changes nothing when no event is open.
/// Registered before the runtime: its start reads the list before any plugin can publish, and it stops after the
/// cameras, so the last save holds their final frame.
/// </summary>
internal sealed partial class InterruptedEvents(
    SqliteDatabase database,
    IResultOutbox outbox,
    ICameraSet runtime,
    TimeProvider clock,
    ILogger<InterruptedEvents> logger) : BackgroundService
{
    /// <summary>How stale an interrupted event's end may be; each save is one small commit per camera.</summary>
    internal static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(2);
    private IReadOnlyList<LeftOpenEvent> _leftOpen = [];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            _leftOpen = await OpenEventRows.ReadAllAsync(connection).ConfigureAwait(false);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SaveLastFramesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSaveFailed(logger, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Observers must be listening before the ends are told to them.
        await runtime.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            await CloseLeftOpenAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The rows stay: the next start tries again. The node keeps running meanwhile.
            LogCloseFailed(logger, ex);
        }

        using var timer = new PeriodicTimer(SaveInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await SaveLastFramesAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSaveFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Publishes the end of every event the previous run left open; returns how many.</summary>
    internal async Task<int> CloseLeftOpenAsync(CancellationToken cancellationToken)
    {
        var left = Interlocked.Exchange(ref _leftOpen, []);
        foreach (var open in left)
        {
            var start = open.Event.Start?.ToDateTimeOffset() ?? open.LastSeen;
            var end = open.LastSeen > start ? open.LastSeen : start;
            var closed = open.Event.Clone();
            closed.End = Timestamp.FromDateTimeOffset(end);
            closed.PayloadJson = MarkInterrupted(closed.PayloadJson);
            var result = new Result { CameraId = open.CameraId, PluginId = open.PluginId, ProducedAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()), Event = closed };

            // The append removes the open row in its own commit; a crash before it simply closes the event next time.
            await outbox.AppendAsync(result, cancellationToken).ConfigureAwait(false);
            runtime.Cameras.FirstOrDefault(c => c.Camera.Id == open.CameraId)?.Events.Publish(ToPluginEvent(closed), open.PluginId);
            LogClosed(logger, closed.Kind, closed.EventId, open.CameraId, open.PluginId, start, end);
        }

        return left.Count;
    }

    /// <summary>Every camera's last frame time in one transaction: one connection and one turn of the write gate, which the outbox's writer shares.</summary>
    internal async Task SaveLastFramesAsync(CancellationToken cancellationToken)
    {
        var frames = runtime.Cameras
            .Select(camera => (camera.Camera.Id, camera.Status.Read().LastFrameAt))
            .Where(frame => frame.LastFrameAt is not null)
            .ToList();
        if (frames.Count == 0)
        {
            return;
        }

        await database.WriteAsync(
            async (connection, transaction) =>
            {
                var touched = 0;
                foreach (var (cameraId, last) in frames)
                {
                    touched += await OpenEventRows.TouchAsync(connection, transaction, cameraId, last!.Value).ConfigureAwait(false);
                }

                return touched;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The plugin's payload with <c>"interrupted": true</c>; a payload that is not an object is kept under "payload".</summary>
    internal static string MarkInterrupted(string payloadJson)
    {
        var node = string.IsNullOrEmpty(payloadJson) ? null : JsonNode.Parse(payloadJson);
        var marked = node as JsonObject ?? (node is null ? [] : new JsonObject { ["payload"] = node });
        marked["interrupted"] = true;
        return marked.ToJsonString();
    }

    private static PluginEvent ToPluginEvent(Event e) => new(e.EventId, e.Kind, e.Start.ToDateTimeOffset())
    {
        End = e.End.ToDateTimeOffset(),
        Peak = e.Peak,
        Boxes = [.. e.Boxes.Select(b => new RegionBox(b.X, b.Y, b.Width, b.Height))],
        Zones = [.. e.Zones],
        Payload = JsonDocument.Parse(e.PayloadJson).RootElement.Clone(),
    };

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "The {Kind} event {EventId} of camera {CameraId} ({PluginId}) was left open by the previous run; closed as interrupted: {Start:u} to {End:u} (its camera's last frame).")]
    private static partial void LogClosed(ILogger logger, string kind, string eventId, string cameraId, string pluginId, DateTimeOffset start, DateTimeOffset end);

    [LoggerMessage(EventId = 407, Level = LogLevel.Error, Message = "Could not close the events the previous run left open; the next start tries again.")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 406, Level = LogLevel.Warning, Message = "Could not save the cameras' last frame times; an event interrupted now would end a little earlier.")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception);
}
