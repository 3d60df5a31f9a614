using System.Text.Json;
using System.Text.Json.Nodes;
using CctvEdge.Node.Cameras;
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
/// recorded, with their own pre- and post-roll, from the segment ring that survived). Events that had ended but whose
/// clip was not asked for yet (the run stopped during the post-roll) are told to observers again, unchanged: the
/// server has their end already. While events are open it saves the cameras' last frame times every few seconds, one
/// small write that changes nothing when no event is open.
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

    /// <summary>
    /// How long an ended event waits for a clip job to cover its end before it is forgotten (a camera that does not
    /// record, a kind nobody clips): longer than any clip window stays pending (MaxClipSeconds up to 30 min, plus post-roll).
    /// </summary>
    internal static readonly TimeSpan SettleHorizon = TimeSpan.FromHours(1);

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
            await CloseOpenAtStopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The rows stay open: the next start closes them. That includes the host's stop time running out (its
            // token cancelled, say while slow ffmpeg processes quit on a loaded box): thrown from here, it would end
            // the agent with an unhandled exception (exit 134) instead of the clean exit a service manager expects.
            LogStopCloseFailed(logger, ex);
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

    /// <summary>Publishes the end of every event the previous run left open, and tells observers again of those it left unclipped; returns how many.</summary>
    internal async Task<int> CloseLeftOpenAsync(CancellationToken cancellationToken)
    {
        var left = Interlocked.Exchange(ref _leftOpen, []);
        foreach (var open in left)
        {
            if (open.Ended)
            {
                Camera(open.CameraId)?.Events.Publish(ToPluginEvent(open.Event), open.PluginId);
                LogRetold(logger, open.Event.Kind, open.Event.EventId, open.CameraId, open.PluginId);
                continue;
            }

            var closed = await AppendEndAsync(open, cancellationToken).ConfigureAwait(false);
            Camera(open.CameraId)?.Events.Publish(ToPluginEvent(closed), open.PluginId);
            LogClosed(logger, closed.Kind, closed.EventId, open.CameraId, open.PluginId, closed.Start.ToDateTimeOffset(), closed.End.ToDateTimeOffset());
        }

        return left.Count;
    }

    /// <summary>
    /// Ends the events still open when the node stops (the cameras have stopped: their last frames are saved), so the
    /// server does not show them open until the next start. Plugins are gone by now; the next start tells observers of
    /// these ended, unclipped events, and the recording plugin cuts their clips then.
    /// </summary>
    internal async Task<int> CloseOpenAtStopAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<LeftOpenEvent> rows;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            rows = await OpenEventRows.ReadAllAsync(connection).ConfigureAwait(false);
        }

        var open = rows.Where(r => !r.Ended).ToList();
        foreach (var row in open)
        {
            var closed = await AppendEndAsync(row, cancellationToken).ConfigureAwait(false);
            LogClosedAtStop(logger, closed.Kind, closed.EventId, row.CameraId, row.PluginId, closed.End.ToDateTimeOffset());
        }

        return open.Count;
    }

    /// <summary>
    /// Appends the event's end at its camera's last frame, marked interrupted. The append marks the row ended in its own
    /// commit; a crash before it simply closes the event next time.
    /// </summary>
    private async Task<Event> AppendEndAsync(LeftOpenEvent open, CancellationToken cancellationToken)
    {
        var start = open.Event.Start?.ToDateTimeOffset() ?? open.LastSeen;
        var closed = open.Event.Clone();
        closed.Start ??= Timestamp.FromDateTimeOffset(start);
        closed.End = Timestamp.FromDateTimeOffset(open.LastSeen > start ? open.LastSeen : start);
        closed.PayloadJson = MarkInterrupted(closed.PayloadJson);
        var result = new Result { CameraId = open.CameraId, PluginId = open.PluginId, ProducedAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()), Event = closed };
        await outbox.AppendAsync(result, cancellationToken).ConfigureAwait(false);
        return closed;
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

                return touched + await OpenEventRows.ForgetEndedAsync(connection, transaction, clock.GetUtcNow() - SettleHorizon).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private CameraWorker? Camera(string cameraId) => runtime.Cameras.FirstOrDefault(c => c.Camera.Id == cameraId);

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
        Payload = string.IsNullOrEmpty(e.PayloadJson) ? null : JsonDocument.Parse(e.PayloadJson).RootElement.Clone(),
    };

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "The {Kind} event {EventId} of camera {CameraId} ({PluginId}) was left open by the previous run; closed as interrupted: {Start:u} to {End:u} (its camera's last frame).")]
    private static partial void LogClosed(ILogger logger, string kind, string eventId, string cameraId, string pluginId, DateTimeOffset start, DateTimeOffset end);

    [LoggerMessage(EventId = 409, Level = LogLevel.Information, Message = "The {Kind} event {EventId} of camera {CameraId} ({PluginId}) was open when the node stopped; ended at {End:u} (its camera's last frame), its clip follows at the next start.")]
    private static partial void LogClosedAtStop(ILogger logger, string kind, string eventId, string cameraId, string pluginId, DateTimeOffset end);

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "Could not save the last frame times or end the open events at stop; the next start ends them.")]
    private static partial void LogStopCloseFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 408, Level = LogLevel.Information, Message = "The {Kind} event {EventId} of camera {CameraId} ({PluginId}) ended in the previous run before its clip was asked for; told to observers again.")]
    private static partial void LogRetold(ILogger logger, string kind, string eventId, string cameraId, string pluginId);

    [LoggerMessage(EventId = 407, Level = LogLevel.Error, Message = "Could not close the events the previous run left open; the next start tries again.")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 406, Level = LogLevel.Warning, Message = "Could not save the cameras' last frame times; an event interrupted now would end a little earlier.")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception);
}
