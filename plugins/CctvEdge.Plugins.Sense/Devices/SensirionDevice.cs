using System.Device.I2c;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Sense.Devices;

/// <summary>
/// A Sensirion SHT3x or SHT4x (temperature and humidity), single-shot at high repeatability. Not through
/// Iot.Device.Bindings: its Sht3x keeps the previous value when a CRC fails (a long cable, a loose wire) and says
/// nothing, which would publish a stale or zero reading; here a failed CRC is an error for that read.
/// </summary>
internal sealed class SensirionDevice(I2cDevice device, bool sht4x, TimeSpan interval) : ISenseDevice
{
    // SHT3x: single shot, high repeatability, no clock stretching (0x2400; 15 ms). SHT4x: high precision (0xFD; 9 ms).
    private static readonly byte[] Sht3xMeasure = [0x24, 0x00];
    private static readonly byte[] Sht4xMeasure = [0xFD];

    public TimeSpan Interval => interval;

    public async ValueTask ReadAsync(DateTimeOffset now, IResultPublisher results, CancellationToken cancellationToken)
    {
        device.Write(sht4x ? Sht4xMeasure : Sht3xMeasure);
        await Task.Delay(TimeSpan.FromMilliseconds(sht4x ? 10 : 16), cancellationToken).ConfigureAwait(false);
        var answer = new byte[6];
        device.Read(answer);
        var temperature = Word(answer, 0);
        var humidity = Word(answer, 3);
        var celsius = -45 + (175.0 * temperature / 65535);
        var percent = Math.Clamp(sht4x ? -6 + (125.0 * humidity / 65535) : 100.0 * humidity / 65535, 0, 100);
        await results.PublishAsync(new PluginMeasurement("temperature", Math.Round(celsius, 2), "°C", now), cancellationToken).ConfigureAwait(false);
        await results.PublishAsync(new PluginMeasurement("humidity", Math.Round(percent, 1), "%", now), cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => device.Dispose();

    private ushort Word(byte[] answer, int at)
    {
        var crc = Crc(answer.AsSpan(at, 2));
        return crc == answer[at + 2]
            ? (ushort)((answer[at] << 8) | answer[at + 1])
            : throw new IOException($"SHT{(sht4x ? "4x" : "3x")} at 0x{device.ConnectionSettings.DeviceAddress:x2}: CRC mismatch (0x{answer[at + 2]:x2}, expected 0x{crc:x2}); reading dropped.");
    }

    /// <summary>CRC-8, polynomial 0x31, initial 0xFF, as in Sensirion's datasheets.</summary>
    private static byte Crc(ReadOnlySpan<byte> data)
    {
        byte crc = 0xFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80) != 0 ? (byte)((crc << 1) ^ 0x31) : (byte)(crc << 1);
            }
        }

        return crc;
    }
}
