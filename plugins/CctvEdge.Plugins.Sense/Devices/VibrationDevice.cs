using System.Device.I2c;
using System.Numerics;
using CctvEdge.Plugins.Sdk;
using System.Device.Spi;
using Iot.Device.Adxl345;
using Iot.Device.Imu;

namespace CctvEdge.Plugins.Sense.Devices;

/// <summary>
/// An accelerometer (on a gate, a pump, a machine: an MPU6050 on I2C or an ADXL345 on SPI) sampled at
/// <see cref="SenseSettings.SampleRate"/> through Iot.Device.Bindings. Each second it publishes <c>vibration.rms</c>, <c>vibration.peak</c> (g),
/// <c>vibration.frequency</c> (Hz) and the mean <c>accel.x/y/z</c> (g, which show tilt: a gate left open), and
/// opens or closes a vibration event (<see cref="VibrationEvents"/>).
/// </summary>
internal sealed class VibrationDevice : ISenseDevice
{
    // The MPU6050 binding scales counts to m/s² with this value of g; dividing by the same value gives back g exactly.
    private const float Mpu6050Gravity = 9.807f;

    private readonly IDisposable _device;
    private readonly Func<Vector3> _sampleG;
    private readonly VibrationEvents _events;
    private readonly Vector3[] _window;
    private int _count;
    private DateTimeOffset _windowStart;

    private VibrationDevice(IDisposable device, Func<Vector3> sampleG, SenseSettings settings)
    {
        _device = device;
        _sampleG = sampleG;
        _events = new VibrationEvents(settings);
        Interval = TimeSpan.FromSeconds(1 / settings.SampleRate);
        // Room for a late second: a slow tick must not lose samples.
        _window = new Vector3[(int)Math.Ceiling(settings.SampleRate * 2)];
    }

    public TimeSpan Interval { get; }

    public static VibrationDevice Mpu6050(I2cDevice device, SenseSettings settings)
    {
        var imu = Opened(device, () => new Mpu6050(device));
        return new VibrationDevice(imu, () => imu.GetAccelerometer() / Mpu6050Gravity, settings);
    }

    /// <summary>
    /// An ADXL345 (10-bit, ±2 g). Its DEVID is checked first: the binding does not, and an empty chip select
    /// reads as zeros, which would look like a perfectly still machine.
    /// </summary>
    public static VibrationDevice Adxl345(SpiDevice device, SenseSettings settings)
    {
        var sensor = Opened(device, () =>
        {
            Span<byte> command = [0x80, 0], answer = stackalloc byte[2];
            device.TransferFullDuplex(command, answer);
            return answer[1] == 0xE5
                ? new Adxl345(device, GravityRange.Range02)
                : throw new IOException($"No ADXL345 on SPI bus {device.ConnectionSettings.BusId} chip select {device.ConnectionSettings.ChipSelectLine}: DEVID read 0x{answer[1]:x2}, not 0xE5.");
        });
        return new VibrationDevice(sensor, () => sensor.Acceleration, settings);
    }

    public async ValueTask ReadAsync(DateTimeOffset now, IResultPublisher results, CancellationToken cancellationToken)
    {
        if (_count == 0)
        {
            _windowStart = now;
        }

        _window[_count++] = _sampleG();
        var elapsed = now - _windowStart;
        if (elapsed < TimeSpan.FromSeconds(1) && _count < _window.Length)
        {
            return;
        }

        // The samples cover the span between the first and the last plus one sampling interval.
        var seconds = elapsed.TotalSeconds * _count / Math.Max(1, _count - 1);
        var second = VibrationAnalysis.Analyze(_window.AsSpan(0, _count), seconds);
        _count = 0;
        await PublishAsync(results, second, now, cancellationToken).ConfigureAwait(false);
        if (_events.Next(second, _windowStart, now) is { } vibration)
        {
            await results.PublishAsync(vibration, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _device.Dispose();

    private static T Opened<T>(IDisposable device, Func<T> open)
    {
        try
        {
            return open();
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    private static async ValueTask PublishAsync(IResultPublisher results, VibrationSecond second, DateTimeOffset at, CancellationToken cancellationToken)
    {
        (string Name, double Value, string Unit)[] values =
        [
            ("vibration.rms", Math.Round(second.Rms, 5), "g"),
            ("vibration.peak", Math.Round(second.Peak, 5), "g"),
            ("vibration.frequency", Math.Round(second.Frequency, 2), "Hz"),
            ("accel.x", Math.Round(second.Mean.X, 4), "g"),
            ("accel.y", Math.Round(second.Mean.Y, 4), "g"),
            ("accel.z", Math.Round(second.Mean.Z, 4), "g"),
        ];
        foreach (var (name, value, unit) in values)
        {
            await results.PublishAsync(new PluginMeasurement(name, value, unit, at), cancellationToken).ConfigureAwait(false);
        }
    }
}
