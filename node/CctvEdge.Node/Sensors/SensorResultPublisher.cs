using CctvEdge.Node.Outbox;
using CctvEdge.Plugins.Sdk;
using CctvEdge.Protocol.V1;

namespace CctvEdge.Node.Sensors;

/// <summary>
/// What a sensor plugin publishes goes to the outbox like a camera plugin's results (checked the same way, so a
/// plugin's mistake never reaches the server), tagged with the sensor and its linked camera, if any.
/// </summary>
internal sealed class SensorResultPublisher(string sensorId, string cameraId, string pluginId, IResultOutbox outbox, TimeProvider clock) : IResultPublisher
{
    private long _lastReadingMs;

    /// <summary>When the sensor last published a measurement; null before its first.</summary>
    public DateTimeOffset? LastReadingAt => Interlocked.Read(ref _lastReadingMs) is > 0 and var ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public ValueTask PublishAsync(PluginEvent pluginEvent, CancellationToken cancellationToken = default) =>
        AppendAsync(ResultMapper.FromEvent(cameraId, pluginId, pluginEvent, clock.GetUtcNow()), cancellationToken);

    public async ValueTask PublishAsync(PluginMeasurement measurement, CancellationToken cancellationToken = default)
    {
        await AppendAsync(ResultMapper.FromMeasurement(cameraId, pluginId, measurement, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastReadingMs, clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    public ValueTask PublishAsync(PluginFile file, CancellationToken cancellationToken = default) =>
        AppendAsync(ResultMapper.FromFile(cameraId, pluginId, file, clock.GetUtcNow()), cancellationToken);

    private async ValueTask AppendAsync(Result result, CancellationToken cancellationToken)
    {
        result.SensorId = sensorId;
        await outbox.AppendAsync(result, cancellationToken).ConfigureAwait(false);
    }
}
