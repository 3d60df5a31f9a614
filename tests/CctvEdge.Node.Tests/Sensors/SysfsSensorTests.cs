using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Tests.Sensors;

/// <summary>The sense plugin's sysfs devices against a fake /sys tree laid out as the kernel lays it out.</summary>
public sealed class SysfsSensorTests : IDisposable
{
    private const string Freezer = "bus/w1/devices/28-0316a2790eff/w1_slave";
    private readonly SenseHarness _harness = new();

    [Fact]
    public async Task Ds18b20_GoodCrc_PublishesDegrees()
    {
        _harness.SysfsFile(Freezer, "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=-18125\n");

        var (plugin, _) = await _harness.StartAsync(new() { ["Device"] = "ds18b20" });
        await using var _ = plugin;

        Assert.Equal(-18.125, _harness.Last("temperature"));
    }

    [Theory]
    [InlineData("72 01 4b 46 7f ff 0e 10 57 : crc=12 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n", "CRC check failed")]
    [InlineData("50 05 4b 46 7f ff 0c 10 1c : crc=1c YES\n50 05 4b 46 7f ff 0c 10 1c t=85000\n", "power-on value")]
    public async Task Ds18b20_BadRead_IsAnErrorNeverAValue(string content, string expected)
    {
        _harness.SysfsFile(Freezer, "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=4000\n");
        var (plugin, _) = await _harness.StartAsync(new() { ["Device"] = "ds18b20", ["DeviceId"] = "28-0316a2790eff", ["Measurement"] = "freezer" });
        await using var _ = plugin;
        _harness.SysfsFile(Freezer, content);

        var ex = await Assert.ThrowsAsync<IOException>(() => plugin.ReadAsync(_harness.Clock.GetUtcNow(), CancellationToken.None).AsTask());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal([4.0], _harness.Measurements.Where(m => m.Name == "freezer").Select(m => m.Value));
    }

    [Fact]
    public async Task Ds18b20_TwoOnTheBusWithoutDeviceId_AsksForOne()
    {
        _harness.SysfsFile(Freezer, "x");
        _harness.SysfsFile("bus/w1/devices/28-0316a2790abc/w1_slave", "x");

        var ex = await Assert.ThrowsAsync<PluginSettingsException>(() => _harness.StartAsync(new() { ["Device"] = "ds18b20" }));

        Assert.Contains("set DeviceId", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Thermal_PiSocZone_IsCpuTemperature()
    {
        _harness.SysfsFile("class/thermal/thermal_zone0/temp", "48312\n");

        var (plugin, _) = await _harness.StartAsync(new() { ["Device"] = "thermal" });
        await using var _ = plugin;

        Assert.Equal(48.312, _harness.Last("cpu.temperature"));
    }

    [Fact]
    public async Task Hwmon_Input_IsRead()
    {
        _harness.SysfsFile("class/hwmon/hwmon2/temp3_input", "35500\n");

        var (plugin, _) = await _harness.StartAsync(new() { ["Device"] = "hwmon", ["Path"] = "hwmon2/temp3_input", ["Measurement"] = "board.temperature" });
        await using var _ = plugin;

        Assert.Equal(35.5, _harness.Last("board.temperature"));
    }

    [Fact]
    public async Task Iio_InputAndRawChannels_AreConvertedToCctvEdgeUnits()
    {
        // A BME280 bound to the kernel's bmp280 driver, and an accelerometer axis given as raw counts and a scale.
        const string Device = "bus/iio/devices/iio:device0/";
        _harness.SysfsFile(Device + "in_temp_input", "21370\n");
        _harness.SysfsFile(Device + "in_humidityrelative_input", "48512\n");
        _harness.SysfsFile(Device + "in_pressure_input", "101.325\n");
        _harness.SysfsFile(Device + "in_accel_x_raw", "-512\n");
        _harness.SysfsFile(Device + "in_accel_scale", "0.019154\n");
        _harness.SysfsFile(Device + "name", "bme280\n");

        var (plugin, _) = await _harness.StartAsync(new() { ["Device"] = "iio" });
        await using var _ = plugin;

        Assert.Equal(21.37, _harness.Last("temperature"), 3);
        Assert.Equal(48.512, _harness.Last("humidity"), 3);
        Assert.Equal(1013.25, _harness.Last("pressure"), 3);
        Assert.Equal(-512 * 0.019154 / 9.80665, _harness.Last("accel.x"), 4);
        Assert.Equal(4, _harness.Measurements.Count);
    }

    [Theory]
    [InlineData("thermal", "../../../etc")]
    [InlineData("hwmon", "../../passwd")]
    [InlineData("iio", "../../../../etc")]
    public async Task HostilePath_LeavingTheSysfsClassFolder_IsRefused(string device, string path)
    {
        var ex = await Assert.ThrowsAsync<PluginSettingsException>(() => _harness.StartAsync(new() { ["Device"] = device, ["Path"] = path }));

        Assert.Contains("leaves", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingSensor_FailsAtStartSayingWhatIsMissing()
    {
        var ex = await Assert.ThrowsAsync<IOException>(() => _harness.StartAsync(new() { ["Device"] = "ds18b20" }));

        Assert.Contains("No DS18B20", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _harness.Dispose();
}
