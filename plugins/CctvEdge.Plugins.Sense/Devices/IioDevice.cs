using System.Globalization;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Sense.Devices;

/// <summary>
/// A Linux Industrial I/O device (<c>bus/iio/devices/iio:deviceN</c>): a sensor the kernel drives itself (a BME280 or
/// SHT3x bound to its kernel driver, an ADC). Every channel is read: <c>in_X_input</c> as the kernel scaled it, or
/// <c>(in_X_raw + offset) × scale</c>; then converted from the IIO ABI's units (millidegrees, milli-percent, kPa,
/// m/s²) to the ones the rest of CctvEdge uses.
/// </summary>
internal sealed class IioDevice : ISenseDevice
{
    private const double StandardGravity = 9.80665;

    private readonly string _folder;
    private readonly IReadOnlyList<string> _channels;

    private IioDevice(string folder, IReadOnlyList<string> channels, TimeSpan interval)
    {
        _folder = folder;
        _channels = channels;
        Interval = interval;
    }

    public TimeSpan Interval { get; }

    public static IioDevice Open(string root, string device, TimeSpan interval)
    {
        var folder = SysfsPath.Under(root, "bus/iio/devices", device);
        if (!Directory.Exists(folder))
        {
            throw new IOException($"IIO device {device} does not exist ({folder}).");
        }

        var channels = Directory.GetFiles(folder, "in_*")
            .Select(Path.GetFileName)
            .Select(name => name!.EndsWith("_input", StringComparison.Ordinal) ? name[3..^6] : name!.EndsWith("_raw", StringComparison.Ordinal) ? name[3..^4] : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return channels.Count > 0 ? new IioDevice(folder, channels, interval) : throw new IOException($"IIO device {device} has no in_*_input or in_*_raw channels.");
    }

    public async ValueTask ReadAsync(DateTimeOffset now, IResultPublisher results, CancellationToken cancellationToken)
    {
        foreach (var channel in _channels)
        {
            var value = await ReadChannelAsync(channel, cancellationToken).ConfigureAwait(false);
            var (name, unit, converted) = Convert(channel, value);
            await results.PublishAsync(new PluginMeasurement(name, Math.Round(converted, 4), unit, now), cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
    }

    /// <summary>The channel's name, unit and value in CctvEdge's terms; <paramref name="value"/> is in IIO ABI units.</summary>
    internal static (string Name, string Unit, double Value) Convert(string channel, double value)
    {
        var type = Type(channel);
        var axis = channel.Length > type.Length + 1 && channel[type.Length] == '_' ? "." + channel[(type.Length + 1)..] : "";
        return type switch
        {
            "temp" => ("temperature" + axis, "°C", value / 1000),
            "humidityrelative" => ("humidity" + axis, "%", value / 1000),
            "pressure" => ("pressure" + axis, "hPa", value * 10),
            "accel" => ("accel" + axis, "g", value / StandardGravity),
            "anglvel" => ("gyro" + axis, "rad/s", value),
            "illuminance" => ("illuminance" + axis, "lx", value),
            "voltage" => ("voltage" + axis, "mV", value),
            _ => (channel.Replace('_', '.'), "", value),
        };
    }

    private static string Type(string channel)
    {
        var end = channel.IndexOf('_', StringComparison.Ordinal);
        return (end < 0 ? channel : channel[..end]).TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
    }

    private async Task<double> ReadChannelAsync(string channel, CancellationToken cancellationToken)
    {
        var input = Path.Combine(_folder, $"in_{channel}_input");
        if (File.Exists(input))
        {
            return await SysfsPath.ReadNumberAsync(input, cancellationToken).ConfigureAwait(false);
        }

        var raw = await SysfsPath.ReadNumberAsync(Path.Combine(_folder, $"in_{channel}_raw"), cancellationToken).ConfigureAwait(false);
        var offset = await ReadOptionalAsync(channel, "offset", 0, cancellationToken).ConfigureAwait(false);
        var scale = await ReadOptionalAsync(channel, "scale", 1, cancellationToken).ConfigureAwait(false);
        return (raw + offset) * scale;
    }

    /// <summary>A channel's own attribute (in_accel_x_scale), else its type's shared one (in_accel_scale), else the default.</summary>
    private async Task<double> ReadOptionalAsync(string channel, string attribute, double fallback, CancellationToken cancellationToken)
    {
        foreach (var name in new[] { $"in_{channel}_{attribute}", $"in_{Type(channel)}_{attribute}" })
        {
            var file = Path.Combine(_folder, name);
            if (File.Exists(file))
            {
                return await SysfsPath.ReadNumberAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }

        return fallback;
    }
}
