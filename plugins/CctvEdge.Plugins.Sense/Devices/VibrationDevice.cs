using System.Numerics;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Sense.Devices;

/// <summary>
/// An accelerometer (on a gate, a pump, a machine: an MPU6050 on I2C or an ADXL345 on SPI) sampling into its FIFO
/// at <see cref="SenseSettings.SampleRate"/> or the nearest rate above it the chip offers. For every second of samples
/// it publishes <c>vibration.rms</c>, <c>vibration.peak</c> (g), <c>vibration.frequency</c> (Hz) and the mean
/// <c>accel.x/y/z</c> (g, which show tilt: a gate left open), and opens or closes a vibration event
/// (<see cref="VibrationEvents"/>).
/// </summary>
internal sealed class VibrationDevice(IAccelerometerFifo fifo, SenseSettings settings) : ISenseDevice
{
    private readonly VibrationEvents _events = new(settings);
    private readonly List<Vector3> _samples = [];
    private readonly int _perSecond = (int)Math.Round(fifo.SampleRate);

    public TimeSpan Interval => fifo.DrainInterval;

    /// <summary>The rate the chip samples at.</summary>
    public double SampleRate => fifo.SampleRate;

    public async ValueTask ReadAsync(DateTimeOffset now, IResultPublisher results, CancellationToken cancellationToken)
    {
        fifo.Drain(_samples);
        var used = 0;
        while (_samples.Count - used >= _perSecond)
        {
            var second = VibrationAnalysis.Analyze(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_samples).Slice(used, _perSecond), _perSecond / fifo.SampleRate);
            used += _perSecond;
            // The last sample in the FIFO was taken about now; earlier ones one sample period apart.
            var end = now - TimeSpan.FromSeconds((_samples.Count - used) / fifo.SampleRate);
            await PublishAsync(results, second, end, cancellationToken).ConfigureAwait(false);
            if (_events.Next(second, end - TimeSpan.FromSeconds(1), end) is { } vibration)
            {
                await results.PublishAsync(vibration, cancellationToken).ConfigureAwait(false);
            }
        }

        _samples.RemoveRange(0, used);
    }

    public void Dispose() => fifo.Dispose();

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
