using System.Globalization;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Sense.Devices;

/// <summary>
/// A DS18B20 on the kernel's 1-Wire bus (w1-gpio, w1-therm): <c>bus/w1/devices/28-*/w1_slave</c> holds two lines,
/// the scratchpad with the kernel's CRC verdict (<c>crc=.. YES</c>) and the same bytes with <c>t=</c> in
/// millidegrees. A failed CRC (a long cable, a loose wire) is an error for that read, never a wrong value. The
/// bindings' OneWireThermometerDevice reads the same file but only under /sys, so it cannot take a test's tree.
/// </summary>
internal sealed class OneWireThermometer(string file, string measurement, TimeSpan interval) : ISenseDevice
{
    // The DS18B20's power-on value: read before a conversion finished, it is not a temperature.
    private const int PowerOnReset = 85000;

    public TimeSpan Interval => interval;

    public static OneWireThermometer Open(string root, string deviceId, string measurement, TimeSpan interval)
    {
        var devices = Path.Combine(root, "bus", "w1", "devices");
        if (deviceId.Length > 0)
        {
            var file = Path.Combine(SysfsPath.Under(root, "bus/w1/devices", deviceId), "w1_slave");
            return File.Exists(file) ? new OneWireThermometer(file, measurement, interval) : throw new IOException($"1-Wire device {deviceId} is not on the bus ({file} does not exist).");
        }

        var found = Directory.Exists(devices) ? Directory.GetDirectories(devices, "28-*") : [];
        return found.Length switch
        {
            1 => new OneWireThermometer(Path.Combine(found[0], "w1_slave"), measurement, interval),
            0 => throw new IOException($"No DS18B20 (28-*) under {devices}: is the w1-gpio overlay enabled?"),
            _ => throw new PluginSettingsException($"{found.Length} DS18B20s are on the bus ({string.Join(", ", found.Select(Path.GetFileName))}); set DeviceId to one of them."),
        };
    }

    public async ValueTask ReadAsync(DateTimeOffset now, IResultPublisher results, CancellationToken cancellationToken)
    {
        var lines = await File.ReadAllLinesAsync(file, cancellationToken).ConfigureAwait(false);
        if (lines.Length < 2 || !lines[0].TrimEnd().EndsWith("YES", StringComparison.Ordinal))
        {
            throw new IOException($"{file}: CRC check failed ('{lines.FirstOrDefault()}').");
        }

        var at = lines[1].IndexOf("t=", StringComparison.Ordinal);
        if (at < 0 || !int.TryParse(lines[1].AsSpan(at + 2).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var millidegrees))
        {
            throw new IOException($"{file}: no temperature in '{lines[1]}'.");
        }

        if (millidegrees == PowerOnReset)
        {
            throw new IOException($"{file}: 85 °C is the power-on value, not a reading (the sensor lacks power or reset).");
        }

        await results.PublishAsync(new PluginMeasurement(measurement, millidegrees / 1000.0, "°C", now), cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
    }
}
