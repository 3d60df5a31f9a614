using System.Collections.Concurrent;
using CctvEdge.Node.Outbox;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Cameras;

/// <summary>
/// Turns camera failures into <c>system</c> events: one opens when a camera goes offline (it fails, or never comes up)
/// with the reason, and closes when frames flow again, so the outage is on the events timeline and notification rules
/// can match it. The node publishes them as plugin <c>node</c> on the camera, through the outbox like every result.
/// </summary>
internal sealed partial class CameraOutages(IResultOutbox outbox, TimeProvider clock, ILogger<CameraOutages> logger, IHostApplicationLifetime? lifetime = null)
{
    public const string Kind = "system";
    public const string Type = "camera-offline";
    public const string Publisher = "node";

    private readonly ConcurrentDictionary<string, Outage> _open = new(StringComparer.Ordinal);
    private readonly Lock _order = new();
    private Task _tail = Task.CompletedTask;

    /// <summary>Follows a camera worker's state from now on.</summary>
    public void Watch(CameraWorker worker)
    {
        var id = worker.Camera.Id;
        worker.Status.Changed += (state, error) => OnChanged(id, state, error);
    }

    /// <summary>Completes once every outage event so far is in the outbox.</summary>
    public Task FlushAsync()
    {
        lock (_order)
        {
            return _tail;
        }
    }

    private void OnChanged(string cameraId, CameraRunState state, string error)
    {
        var now = clock.GetUtcNow();
        // A camera that ends while the node stops is not an outage (its ffmpeg may get the same signal first).
        var stopping = lifetime?.ApplicationStopping.IsCancellationRequested == true;
        if (state == CameraRunState.Failed && !stopping && !_open.ContainsKey(cameraId))
        {
            var outage = new Outage(Guid.NewGuid().ToString("N"), now, error);
            _open[cameraId] = outage;
            Append(cameraId, outage, end: null);
        }
        else if (state is CameraRunState.Running or CameraRunState.Stopped && _open.TryRemove(cameraId, out var ended))
        {
            Append(cameraId, ended, end: now);
        }
    }

    /// <summary>Appends in the order the changes happened, off the camera's thread (the outbox waits for the disk).</summary>
    private void Append(string cameraId, Outage outage, DateTimeOffset? end)
    {
        var e = new PluginEvent(outage.EventId, Kind, outage.Start)
        {
            End = end,
            Payload = new { type = Type, camera = cameraId, reason = outage.Reason },
        };
        lock (_order)
        {
            _tail = _tail.ContinueWith(
                async _ =>
                {
                    try
                    {
                        await outbox.AppendAsync(ResultMapper.FromEvent(cameraId, Publisher, e, clock.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        LogNotRecorded(logger, cameraId, ex);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default).Unwrap();
        }
    }

    [LoggerMessage(EventId = 205, Level = LogLevel.Error, Message = "Camera {CameraId}: its outage could not be recorded.")]
    private static partial void LogNotRecorded(ILogger logger, string cameraId, Exception exception);

    private sealed record Outage(string EventId, DateTimeOffset Start, string Reason);
}
