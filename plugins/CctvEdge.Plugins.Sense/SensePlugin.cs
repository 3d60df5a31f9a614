using CctvEdge.Plugins.Sdk;
using CctvEdge.Plugins.Sense.Devices;

namespace CctvEdge.Plugins.Sense;

/// <summary>
/// The <c>sense</c> plugin: one instance per configured sensor, reading the device its <c>Device</c> setting names.
/// The device is opened and read once at start, so a sensor that is absent or miswired fails there with the bus and
/// address in the message, not at the first tick.
/// </summary>
[PluginSettings(typeof(SenseSettings))]
public sealed class SensePlugin : ISensorPlugin
{
    private ISenseDevice? _device;
    private IResultPublisher? _results;

    public async ValueTask<SensorSubscription> StartAsync(ISensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = context.BindSettings<SenseSettings>();
        _results = context.Results;
        _device = SenseDevices.Open(settings, context.Hardware);
        await _device.ReadAsync(context.Clock.GetUtcNow(), _results, cancellationToken).ConfigureAwait(false);
        return new SensorSubscription(_device.Interval);
    }

    public ValueTask ReadAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _device is null || _results is null ? ValueTask.CompletedTask : _device.ReadAsync(now, _results, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _device?.Dispose();
        _device = null;
        return ValueTask.CompletedTask;
    }
}
