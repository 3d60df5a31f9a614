using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Sense.Devices;

/// <summary>
/// A temperature the kernel already converts: a thermal zone's <c>temp</c> (the Pi's SoC is thermal_zone0) or an
/// hwmon input such as <c>hwmon0/temp1_input</c>, both in millidegrees Celsius.
/// </summary>
internal sealed class SysfsValueFile(string file, string measurement, TimeSpan interval) : ISenseDevice
{
    public TimeSpan Interval => interval;

    public static SysfsValueFile Thermal(string root, string zone, string measurement, TimeSpan interval) =>
        Existing(SysfsPath.Under(root, "class/thermal", Path.Combine(zone, "temp")), measurement, interval);

    public static SysfsValueFile Hwmon(string root, string input, string measurement, TimeSpan interval) =>
        Existing(SysfsPath.Under(root, "class/hwmon", input), measurement, interval);

    public async ValueTask ReadAsync(DateTimeOffset now, IResultPublisher results, CancellationToken cancellationToken)
    {
        var millidegrees = await SysfsPath.ReadNumberAsync(file, cancellationToken).ConfigureAwait(false);
        await results.PublishAsync(new PluginMeasurement(measurement, millidegrees / 1000.0, "°C", now), cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
    }

    private static SysfsValueFile Existing(string file, string measurement, TimeSpan interval) =>
        File.Exists(file) ? new SysfsValueFile(file, measurement, interval) : throw new IOException($"{file} does not exist: no such sensor on this node.");
}
