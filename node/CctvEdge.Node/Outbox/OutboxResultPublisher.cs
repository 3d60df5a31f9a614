using CctvEdge.Node.Cameras;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Outbox;

/// <summary>
/// What one plugin instance publishes goes to the outbox, tagged with its camera and plugin. Each call returns once
/// the result is on disk; an event then goes to the camera's observers.
/// </summary>
internal sealed class OutboxResultPublisher(string cameraId, string pluginId, IResultOutbox outbox, CameraEventBus events, TimeProvider clock) : IResultPublisher
{
    public async ValueTask PublishAsync(PluginEvent pluginEvent, CancellationToken cancellationToken = default)
    {
        await outbox.AppendAsync(ResultMapper.FromEvent(cameraId, pluginId, pluginEvent, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        events.Publish(pluginEvent, pluginId);
    }

    public async ValueTask PublishAsync(PluginMeasurement measurement, CancellationToken cancellationToken = default) =>
        await outbox.AppendAsync(ResultMapper.FromMeasurement(cameraId, pluginId, measurement, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);

    public async ValueTask PublishAsync(PluginFile file, CancellationToken cancellationToken = default) =>
        await outbox.AppendAsync(ResultMapper.FromFile(cameraId, pluginId, file, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
}
