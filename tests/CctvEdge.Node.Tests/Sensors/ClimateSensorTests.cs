using CctvEdge.Node.Sensors.Simulation;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Tests.Sensors;

/// <summary>The sense plugin's BME280/BMP280 path: Iot.Device.Bindings against register-level simulated chips.</summary>
public sealed class ClimateSensorTests : IDisposable
{
    private readonly SenseHarness _harness = new();

    [Theory]
    [InlineData(21.5, 55.0, 1001.3)]
    [InlineData(-12.25, 93.5, 985.0)]
    [InlineData(38.0, 12.0, 1030.8)]
    public async Task Bme280_ReadThroughTheBinding_GivesTheClimateTheChipMeasured(double celsius, double humidity, double hectopascals)
    {
        _harness.Hardware.Climate = _ => new Climate(celsius, humidity, hectopascals);

        var (plugin, subscription) = await _harness.StartAsync(new() { ["Device"] = "bme280", ["Address"] = "0x76", ["IntervalSeconds"] = "30" });
        await using var _ = plugin;

        // The start reads once, so a wrong chip fails at start; that first reading is published.
        Assert.Equal(TimeSpan.FromSeconds(30), subscription.Interval);
        Assert.Equal(celsius, _harness.Last("temperature"), 0.02);
        Assert.Equal(humidity, _harness.Last("humidity"), 0.1);
        Assert.Equal(hectopascals, _harness.Last("pressure"), 0.05);
        Assert.Equal(("°C", "%", "hPa"), (Unit("temperature"), Unit("humidity"), Unit("pressure")));
    }

    [Fact]
    public async Task Bme280_ClimateChanges_EachReadFollowsIt()
    {
        var (plugin, _) = await _harness.StartAsync(new() { ["Device"] = "bme280" });
        await using var _ = plugin;

        _harness.Hardware.Climate = _ => new Climate(4.0, 80, 1010);
        await plugin.ReadAsync(_harness.Clock.GetUtcNow(), CancellationToken.None);
        _harness.Hardware.Climate = _ => new Climate(9.5, 60, 1012);
        await plugin.ReadAsync(_harness.Clock.GetUtcNow(), CancellationToken.None);

        var temperatures = _harness.Measurements.Where(m => m.Name == "temperature").Select(m => Math.Round(m.Value, 1)).ToList();
        Assert.Equal(4.0, temperatures[^2], 1);
        Assert.Equal(9.5, temperatures[^1], 1);
    }

    [Theory]
    [InlineData("sht3x")]
    [InlineData("sht4x")]
    public async Task Sensirion_ReadsTemperatureAndHumidity_InItsFamilysEncoding(string device)
    {
        _harness.Hardware.Climate = _ => new Climate(-3.4, 88.6, 1000);

        var (plugin, _) = await _harness.StartAsync(new() { ["Device"] = device, ["Address"] = "0x44" });
        await using var _ = plugin;

        Assert.Equal(-3.4, _harness.Last("temperature"), 0.01);
        Assert.Equal(88.6, _harness.Last("humidity"), 0.05);
        Assert.DoesNotContain(_harness.Measurements, m => m.Name == "pressure");
    }

    [Fact]
    public async Task Sensirion_BadCrc_IsAnErrorAndPublishesNothing()
    {
        _harness.Hardware.Climate = _ => new Climate(20, 50, 1000);
        var (plugin, _) = await _harness.StartAsync(new() { ["Device"] = "sht3x", ["Address"] = "0x45" });
        await using var _ = plugin;
        var device = (SimulatedSensirion)_harness.Hardware.LastOpened!;
        device.CorruptNext = true;

        var ex = await Assert.ThrowsAsync<IOException>(() => plugin.ReadAsync(_harness.Clock.GetUtcNow(), CancellationToken.None).AsTask());

        Assert.Contains("CRC mismatch", ex.Message, StringComparison.Ordinal);
        Assert.Single(_harness.Measurements, m => m.Name == "temperature");
    }

    [Theory]
    [InlineData(23.4, 61.2)]
    [InlineData(-7.8, 95.0)]
    public async Task Dht22_BitBangedByTheBinding_GivesTemperatureAndHumidity(double celsius, double humidity)
    {
        _harness.Hardware.Climate = _ => new Climate(celsius, humidity, 1000);

        var (plugin, subscription) = await _harness.StartAsync(new() { ["Device"] = "dht22", ["Pin"] = "17", ["IntervalSeconds"] = "1" });
        await using var _ = plugin;

        // The sensor needs two seconds between readings, whatever the setting says.
        Assert.Equal(TimeSpan.FromSeconds(2), subscription.Interval);
        Assert.Equal(celsius, _harness.Last("temperature"), 0.05);
        Assert.Equal(humidity, _harness.Last("humidity"), 0.05);
    }

    [Fact]
    public async Task Dht22_NothingOnThePin_FailsAfterItsRetries()
    {
        var ex = await Assert.ThrowsAsync<IOException>(() => _harness.StartAsync(new() { ["Device"] = "dht22", ["Pin"] = "22" }));

        Assert.Contains("DHT22 on GPIO 22: no valid answer in 3 tries", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dht22_WithoutPin_IsASettingsError()
    {
        var ex = await Assert.ThrowsAsync<PluginSettingsException>(() => _harness.StartAsync(new() { ["Device"] = "dht22" }));

        Assert.Contains("Pin is required for a dht22", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bmp280_HasNoHumidity()
    {
        _harness.Hardware.Climate = _ => new Climate(15, 50, 1000);

        var (plugin, _) = await _harness.StartAsync(new() { ["Device"] = "bmp280", ["Address"] = "0x75" });
        await using var _ = plugin;

        Assert.Equal(15, _harness.Last("temperature"), 0.02);
        Assert.Equal(1000, _harness.Last("pressure"), 0.05);
        Assert.DoesNotContain(_harness.Measurements, m => m.Name == "humidity");
    }

    [Fact]
    public async Task Bme280_WhereABmp280Answers_FailsAtStartOnTheChipId()
    {
        // 0x75 is the simulated BMP280 (chip id 0x58); the BME280 binding expects 0x60.
        var ex = await Assert.ThrowsAsync<IOException>(() => _harness.StartAsync(new() { ["Device"] = "bme280", ["Address"] = "0x75" }));

        Assert.Contains("chip with id 96", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingAtTheAddress_FailsAtStartNamingBusAndAddress()
    {
        var ex = await Assert.ThrowsAsync<IOException>(() => _harness.StartAsync(new() { ["Device"] = "bme280", ["Bus"] = "3", ["Address"] = "0x40" }));

        Assert.Contains("0x40 on I2C bus 3", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Device", "bme999", "Device 'bme999' is not one of")]
    [InlineData("Address", "0x99", "Address '0x99' is not an I2C address")]
    [InlineData("IntervalSeconds", "0", "IntervalSeconds")]
    [InlineData("Colour", "red", "Colour")]
    public async Task BadSetting_IsASettingsErrorNamingIt(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { ["Device"] = "bme280", [key] = value };

        var ex = await Assert.ThrowsAsync<PluginSettingsException>(() => _harness.StartAsync(settings));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Sensors:0:Settings", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _harness.Dispose();

    private string Unit(string name) => _harness.Measurements.First(m => m.Name == name).Unit;
}
