using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Spi;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Plugins.Sdk;

/// <summary>
/// A plugin instance reading one sensor of the node: a BME280 in the barn, a DS18B20 in the freezer, an accelerometer
/// on a gate. A sensor belongs to the node, not to a camera (it may be linked to one for the timeline). The node
/// creates one instance per entry of its <c>Sensors</c> config (through the entry type's public parameterless
/// constructor), calls <see cref="StartAsync"/> once, then <see cref="ReadAsync"/> at the interval it returned, and
/// disposes it when the node stops. Calls to one instance never overlap. A plugin folder's entry type implements
/// either this or <see cref="ICameraPlugin"/>.
/// </summary>
public interface ISensorPlugin : IAsyncDisposable
{
    /// <summary>
    /// Opens the device through <see cref="ISensorContext.Hardware"/> and checks it answers. Throw
    /// <see cref="PluginSettingsException"/> for settings that are wrong; any other exception reports the sensor
    /// failed (device absent) while the node keeps running.
    /// </summary>
    ValueTask<SensorSubscription> StartAsync(ISensorContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the device and publishes what it measured through <see cref="ISensorContext.Results"/>. An exception
    /// (the device went away) is counted and reported; enough of them in a row switch the sensor off.
    /// </summary>
    ValueTask ReadAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>How often the node calls <see cref="ISensorPlugin.ReadAsync"/>.</summary>
/// <param name="Interval">Between reads; at least a millisecond. A fast sampler (vibration at 400 Hz) asks for a short
/// interval and publishes once per second what it gathered.</param>
public sealed record SensorSubscription(TimeSpan Interval);

/// <summary>What the node offers a sensor plugin instance.</summary>
public interface ISensorContext
{
    /// <summary>The plugin's id from its manifest.</summary>
    string PluginId { get; }

    /// <summary>The sensor this instance reads.</summary>
    SensorDescriptor Sensor { get; }

    /// <summary>
    /// Binds the sensor's <c>Settings</c> from the node config to <typeparamref name="T"/>, as
    /// <see cref="IPluginContext.BindSettings{T}"/> does for camera plugins (unknown names, wrong types and failed
    /// validation attributes raise <see cref="PluginSettingsException"/> naming the key).
    /// </summary>
    T BindSettings<T>()
        where T : class, new();

    /// <summary>Where readings (measurements) and events go: through the node's outbox, tagged with the sensor.</summary>
    IResultPublisher Results { get; }

    /// <summary>The buses the node lets the plugin use: real ones on a Pi, simulated devices in tests and the demo.</summary>
    ISensorHardware Hardware { get; }

    /// <summary>A logger named after the plugin and sensor.</summary>
    ILogger Logger { get; }

    /// <summary>The node's clock.</summary>
    TimeProvider Clock { get; }
}

/// <summary>A sensor of the node.</summary>
/// <param name="Id">Unique on the node (<c>Sensors:N:Id</c>).</param>
/// <param name="Name">What people call it.</param>
/// <param name="CameraId">The camera it is linked to for the timeline, or null.</param>
public sealed record SensorDescriptor(string Id, string Name, string? CameraId);

/// <summary>
/// The node's hardware as a sensor plugin sees it. Open devices here rather than with <c>I2cDevice.Create</c>: the node
/// checks that two sensors do not claim the same device, and tests and the demo hand out simulated devices that the
/// real bindings (Iot.Device.Bindings) talk to at register level.
/// </summary>
public interface ISensorHardware
{
    /// <summary>Opens the device at <paramref name="address"/> on I2C bus <paramref name="busId"/> (/dev/i2c-N).</summary>
    I2cDevice OpenI2c(int busId, int address);

    /// <summary>Opens SPI device <paramref name="chipSelect"/> on bus <paramref name="busId"/> (/dev/spidevB.C).</summary>
    SpiDevice OpenSpi(int busId, int chipSelect, int clockFrequency = 5_000_000, SpiMode mode = SpiMode.Mode3);

    /// <summary>The node's GPIO controller, shared by every sensor; open only the pins you use.</summary>
    GpioController Gpio { get; }

    /// <summary>The sysfs root (<c>/sys</c> on a node): 1-Wire, hwmon, thermal zones and IIO devices are read under it.</summary>
    string SysfsRoot { get; }
}
