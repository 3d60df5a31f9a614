using System.Globalization;
using System.Threading.Channels;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Live;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Notifications.Sensors;

/// <summary>
/// Checks sensor readings against their thresholds once they are stored: a <c>sensor</c> event opens when a value has
/// been out of range for the threshold's sustainSeconds (timed by the readings' own clock, so a backlog uploaded after an
/// outage is judged as it happened) and closes at the first reading back in range. Ingest only queues (a full queue
/// drops with a warning rather than slowing nodes); one loop evaluates in order. Runs on every replica, not only the
/// leader: readings reach only the replica that holds their node's session, and are judged there (a node that moves
/// to another replica is judged there from the open events that replica read when it started).
/// </summary>
internal sealed partial class SensorThresholdWatcher(
    SensorThresholdStore thresholds,
    SensorEventStore events,
    ChangeFeed changes,
    ILogger<SensorThresholdWatcher> logger) : BackgroundService, IIngestListener
{
    private readonly Channel<(string NodeId, Reading[] Readings)> _queue = Channel.CreateBounded<(string, Reading[])>(new BoundedChannelOptions(10_000) { SingleReader = true });
    private readonly Dictionary<(string NodeId, string Sensor, string Name), State> _states = [];
    private Dictionary<(string NodeId, string Sensor, string Name), SensorLimit> _thresholds = [];
    private long _thresholdVersion = -1;
    private bool _loaded;

    /// <summary>Batches evaluated so far: lets tests wait for the watcher without sleeping.</summary>
    public long Evaluated => Interlocked.Read(ref _evaluated);

    private long _evaluated;

    public void OnStored(string nodeId, IReadOnlyList<Result> stored)
    {
        var readings = stored
            .Where(r => r.SensorId.Length > 0 && r.BodyCase == Result.BodyOneofCase.Measurement)
            .Select(r => new Reading(r.SensorId, r.CameraId, r.Measurement.Name, r.Measurement.Unit, r.Measurement.Value, r.Measurement.At.ToDateTimeOffset()))
            .ToArray();
        if (readings.Length > 0 && !_queue.Writer.TryWrite((nodeId, readings)))
        {
            LogDropped(logger, nodeId, readings.Length);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (nodeId, readings) in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await EvaluateAsync(nodeId, readings, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex, nodeId);
            }

            Interlocked.Increment(ref _evaluated);
        }
    }

    internal async Task EvaluateAsync(string nodeId, IReadOnlyList<Reading> readings, CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        foreach (var r in readings)
        {
            var key = (nodeId, r.Sensor, r.Name);
            _thresholds.TryGetValue(key, out var threshold);
            _states.TryGetValue(key, out var state);
            if (threshold is null && state is null)
            {
                continue;
            }

            state ??= _states[key] = new State();
            if (threshold is not null && Reason(threshold, r) is { } reason)
            {
                state.OutSince ??= r.At;
                if (state.OpenEventId is null && r.At - state.OutSince.Value >= TimeSpan.FromSeconds(threshold.SustainSeconds))
                {
                    var payload = new { sensor = r.Sensor, name = r.Name, value = r.Value, unit = r.Unit, min = threshold.Min, max = threshold.Max, sustainSeconds = threshold.SustainSeconds, reason };
                    state.OpenEventId = await events.RaiseAsync(nodeId, r.Camera, r.Sensor, r.Name, state.OutSince.Value, r.Value, payload, cancellationToken).ConfigureAwait(false);
                    if (state.OpenEventId is not null)
                    {
                        LogOpened(logger, nodeId, r.Sensor, reason);
                        changes.Publish(new LiveChange(LiveChangeKind.Event, nodeId, null));
                    }
                }

                continue;
            }

            // Back in range, or its threshold removed: an open event ends here.
            state.OutSince = null;
            if (state.OpenEventId is { } open)
            {
                state.OpenEventId = null;
                if (await events.CloseAsync(nodeId, open, r.At, r.Value, cancellationToken).ConfigureAwait(false))
                {
                    changes.Publish(new LiveChange(LiveChangeKind.Event, nodeId, null));
                }
            }
        }
    }

    /// <summary>Why a reading is out of its range ("temperature 31.5 °C above max 30"), or null when it is in range.</summary>
    internal static string? Reason(SensorLimit threshold, Reading r)
    {
        var unit = r.Unit.Length > 0 ? " " + r.Unit : "";
        return threshold.Max is { } max && r.Value > max ? string.Create(CultureInfo.InvariantCulture, $"{r.Name} {r.Value}{unit} above max {max}{unit}")
            : threshold.Min is { } min && r.Value < min ? string.Create(CultureInfo.InvariantCulture, $"{r.Name} {r.Value}{unit} below min {min}{unit}")
            : null;
    }

    /// <summary>Thresholds reloaded after a save; open events read once, so a restart closes what it left open.</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (!_loaded)
        {
            foreach (var (nodeId, eventId, sensor, name) in await events.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                _states[(nodeId, sensor, name)] = new State { OpenEventId = eventId };
            }

            _loaded = true;
        }

        var version = thresholds.Version;
        if (version != _thresholdVersion)
        {
            _thresholds = (await thresholds.AllAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(t => (t.NodeId, t.SensorId, t.Threshold.Name), t => t.Threshold);
            _thresholdVersion = version;
        }
    }

    /// <summary>A stored reading of a sensor's measurement.</summary>
    internal sealed record Reading(string Sensor, string Camera, string Name, string Unit, double Value, DateTimeOffset At);

    private sealed class State
    {
        public DateTimeOffset? OutSince { get; set; }

        public string? OpenEventId { get; set; }
    }

    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "Node {NodeId} sensor {Sensor}: {Reason}; sensor event opened.")]
    private static partial void LogOpened(ILogger logger, string nodeId, string sensor, string reason);

    [LoggerMessage(EventId = 151, Level = LogLevel.Warning, Message = "Node {NodeId}: {Count} sensor readings not checked against thresholds (the queue is full).")]
    private static partial void LogDropped(ILogger logger, string nodeId, int count);

    [LoggerMessage(EventId = 152, Level = LogLevel.Error, Message = "Node {NodeId}: checking sensor thresholds failed.")]
    private static partial void LogFailed(ILogger logger, Exception exception, string nodeId);
}
