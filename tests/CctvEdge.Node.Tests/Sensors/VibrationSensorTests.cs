using System.Numerics;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Tests.Sensors;

/// <summary>
/// The sense plugin's accelerometers: the chips sample into their FIFOs on their own clock (the simulated ones on the
/// fake clock), the plugin collects a few times a second and publishes per-second RMS, peak and frequency, and events.
/// </summary>
public sealed class VibrationSensorTests : IDisposable
{
    private readonly SenseHarness _harness = new();
    private TimeSpan _interval;

    [Fact]
    public async Task Burst_GivesRmsPeakAndFrequency_AndOneEventThatOpensAndCloses()
    {
        // Gravity on Z; from second 3 to 6 a 25 Hz shake of 0.3 g on X and 0.15 g on Y.
        _harness.Hardware.Machine = at => Shake(at, from: 3, to: 6, hertz: 25, amplitude: 0.3f);
        // 400 Hz asked: the MPU6050 divides 1 kHz, so it samples at 500 Hz.
        var plugin = await StartAsync(new() { ["Device"] = "mpu6050", ["Threshold"] = "0.05", ["GapSeconds"] = "2" }, TimeSpan.FromMilliseconds(100));
        await using var _ = plugin;

        await SampleAsync(plugin, seconds: 12);

        var rms = Series("vibration.rms");
        var frequency = Series("vibration.frequency");
        Assert.Equal(12, rms.Count);
        // A sine's RMS is its amplitude over √2, over both axes: √(0.3² + 0.15²) / √2 = 0.237 g.
        Assert.Equal(0.237, rms.Max(), 0.01);
        Assert.Equal(25, frequency[rms.IndexOf(rms.Max())], 1.0);
        Assert.Equal(0.335, Series("vibration.peak").Max(), 0.01);
        Assert.True(rms[0] < 0.001, $"quiet second RMS {rms[0]}");
        Assert.Equal(1.0, Series("accel.z")[0], 0.001);

        // One event: opened at the first loud second, closed with the last loud second as its end.
        var events = _harness.Events.ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(events[0].EventId, events[1].EventId);
        Assert.Equal("vibration", events[0].Kind);
        Assert.Null(events[0].End);
        Assert.NotNull(events[1].End);
        Assert.Equal(6.0, (events[1].End!.Value - T0).TotalSeconds, 1.1);
        Assert.Equal(3.0, (events[0].Start - T0).TotalSeconds, 1.1);
        Assert.Equal(0.237, events[1].Peak, 0.01);
    }

    [Fact]
    public async Task Adxl345_OnSpi_GivesTheSameFiguresAsTheMpu6050()
    {
        _harness.Hardware.Machine = at => Shake(at, from: 1, to: 4, hertz: 40, amplitude: 0.5f);
        // 400 Hz from BW_RATE; the 32-entry FIFO is collected when half full.
        var plugin = await StartAsync(new() { ["Device"] = "adxl345", ["Bus"] = "0", ["ChipSelect"] = "1", ["Threshold"] = "0.05" }, TimeSpan.FromMilliseconds(40));
        await using var _ = plugin;

        await SampleAsync(plugin, seconds: 6);

        var rms = Series("vibration.rms");
        // 10-bit counts at ±2 g are 1/256 g: coarser than the MPU6050, so a wider tolerance.
        Assert.Equal(0.395, rms.Max(), 0.02);
        Assert.Equal(40, Series("vibration.frequency")[rms.IndexOf(rms.Max())], 1.0);
        Assert.Equal(1.0, Series("accel.z")[0], 0.01);
        Assert.Equal("vibration", _harness.Events.First().Kind);
    }

    [Fact]
    public async Task Adxl345_NothingAtTheChipSelect_FailsAtStartOnDevid()
    {
        var ex = await Assert.ThrowsAsync<IOException>(() => _harness.StartAsync(new() { ["Device"] = "adxl345", ["Bus"] = "0", ["ChipSelect"] = "2" }));

        Assert.Contains("No ADXL345 on SPI bus 0 chip select 2: DEVID read 0x00", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adaptive_SteadyHumAboveTheFixedThreshold_RaisesNoEventButABurstDoes()
    {
        // A pump hums at 0.08 g all day (above the 0.02 g floor); a burst of 0.4 g at second 40.
        _harness.Hardware.Machine = at =>
            Shake(at, from: 0, to: 1000, hertz: 50, amplitude: 0.08f) + Shake(at, from: 40, to: 43, hertz: 12, amplitude: 0.4f) - Vector3.UnitZ;
        var plugin = await StartAsync(new() { ["Device"] = "mpu6050", ["Threshold"] = "0.02", ["AdaptiveFactor"] = "4", ["SampleRate"] = "200" }, TimeSpan.FromMilliseconds(100));
        await using var _ = plugin;

        await SampleAsync(plugin, seconds: 38);
        Assert.Empty(_harness.Events);

        await SampleAsync(plugin, seconds: 4, from: 38);
        var opened = Assert.Single(_harness.Events);
        Assert.Equal(12, System.Text.Json.JsonSerializer.SerializeToElement(opened.Payload).GetProperty("frequency").GetDouble(), 1.0);
    }

    [Fact]
    public async Task CollectedTooLate_FifoOverflowIsAnError_AndTheNextSecondsAreWhole()
    {
        var plugin = await StartAsync(new() { ["Device"] = "mpu6050" }, TimeSpan.FromMilliseconds(100));
        await using var _ = plugin;

        // 170 samples fit the FIFO: at 500 Hz, half a second without collecting loses samples.
        _harness.Clock.SetUtcNow(T0.AddSeconds(0.5));
        var ex = await Assert.ThrowsAsync<IOException>(() => plugin.ReadAsync(T0.AddSeconds(0.5), CancellationToken.None).AsTask());
        Assert.Contains("FIFO overflowed", ex.Message, StringComparison.Ordinal);

        await SampleAsync(plugin, seconds: 2, from: 0.5);
        Assert.Equal(2, Series("vibration.rms").Count);
        Assert.All(Series("accel.z"), z => Assert.Equal(1.0, z, 0.001));
    }

    [Fact]
    public async Task DeviceUnplugged_ReadThrowsIOException()
    {
        var device = (Node.Sensors.Simulation.SimulatedRegisterDevice)_harness.Hardware.OpenI2c(1, 0x68);
        device.Unplugged = true;

        Assert.Throws<IOException>(() => device.ReadByte());
    }

    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static Vector3 Shake(DateTimeOffset at, double from, double to, double hertz, float amplitude)
    {
        var t = (at - T0).TotalSeconds;
        var s = t >= from && t < to ? amplitude * (float)Math.Sin(2 * Math.PI * hertz * t) : 0f;
        return new Vector3(s, s / 2, 1);
    }

    private async Task<ISensorPlugin> StartAsync(Dictionary<string, string?> settings, TimeSpan interval)
    {
        var (plugin, subscription) = await _harness.StartAsync(settings);
        Assert.Equal(interval, subscription.Interval);
        _harness.Measurements.Clear();
        _interval = interval;
        return plugin;
    }

    /// <summary>Lets the fake clock run, collecting at the plugin's interval as the node's timer would.</summary>
    private async Task SampleAsync(ISensorPlugin plugin, double seconds, double from = 0)
    {
        var steps = (int)Math.Round(seconds / _interval.TotalSeconds);
        for (var i = 1; i <= steps; i++)
        {
            var now = T0.AddSeconds(from) + (_interval * i);
            _harness.Clock.SetUtcNow(now);
            await plugin.ReadAsync(now, CancellationToken.None);
        }
    }

    private List<double> Series(string name) => [.. _harness.Measurements.Where(m => m.Name == name).Select(m => m.Value)];

    public void Dispose() => _harness.Dispose();
}
