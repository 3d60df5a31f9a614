using CctvEdge.Node.Configuration;
using CctvEdge.Node.Plugins;
using CctvEdge.Node.Sensors;
using CctvEdge.Node.Sensors.Simulation;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using CctvEdge.Harness;
using CctvEdge.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Tests.Sensors;

/// <summary>Sensors run by the node's host: readings into the real outbox tagged with the sensor, failures reported.</summary>
public sealed class SensorHostTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly PluginFolders _folders = new();
    private readonly TempDirectory _sysfs = new("cctvedge-sysfs");
    private TestOutbox? _outbox;

    [Fact]
    public async Task Sensors_ReadIntoTheOutbox_TaggedWithSensorAndLinkedCamera()
    {
        var hardware = new SimulatedSensorHardware(_sysfs.Path, TimeProvider.System) { Climate = _ => new Climate(7.5, 81, 1004) };
        await using var host = await StartAsync(hardware, Sensor("barn", "yard", ["Device=bme280", "IntervalSeconds=0.2"]), Sensor("pump", "", ["Device=mpu6050", "SampleRate=100"]));

        var results = await WaitForAsync(r => r.Count(x => x.SensorId == "barn" && x.Measurement?.Name == "temperature") >= 3 && r.Any(x => x.SensorId == "pump"));

        var barn = results.First(r => r.SensorId == "barn" && r.Measurement?.Name == "temperature");
        Assert.Equal(("yard", "sense", 7.5), (barn.CameraId, barn.PluginId, Math.Round(barn.Measurement.Value, 1)));
        var pump = results.First(r => r.SensorId == "pump");
        Assert.Equal("", pump.CameraId);
        Assert.Contains(results, r => r.SensorId == "pump" && r.Measurement?.Name == "vibration.rms");
        Assert.All(host.Instances, s => Assert.Equal(PluginState.Running, s.ToInfo().State));
        Assert.NotNull(host.Instances[0].ToInfo().LastReadAt);
    }

    [Fact]
    public async Task DeviceAbsentAtStart_IsReportedFailed_WhileOtherSensorsRead()
    {
        var hardware = new SimulatedSensorHardware(_sysfs.Path, TimeProvider.System);
        await using var host = await StartAsync(hardware, Sensor("ghost", "", ["Device=bme280", "Address=0x40"]), Sensor("barn", "", ["Device=bme280", "IntervalSeconds=0.2"]));

        await WaitForAsync(r => r.Count(x => x.SensorId == "barn") >= 6);

        var ghost = host.Instances.Single(s => s.Id == "ghost").ToInfo();
        Assert.Equal(PluginState.Failed, ghost.State);
        Assert.Contains("0x40 on I2C bus 1", ghost.Error, StringComparison.Ordinal);
        Assert.Equal("bme280", ghost.Kind);
    }

    [Fact]
    public async Task DeviceGoneWhileRunning_SwitchesTheSensorOffAndSaysWhy()
    {
        _ = Directory.CreateDirectory(Path.Combine(_sysfs.Path, "class/thermal/thermal_zone0"));
        var file = Path.Combine(_sysfs.Path, "class/thermal/thermal_zone0/temp");
        await File.WriteAllTextAsync(file, "51000\n");
        var hardware = new SimulatedSensorHardware(_sysfs.Path, TimeProvider.System);
        await using var host = await StartAsync(hardware, Sensor("soc", "", ["Device=thermal", "IntervalSeconds=0.1"]));
        await WaitForAsync(r => r.Count(x => x.SensorId == "soc") >= 2);

        File.Delete(file);
        var soc = host.Instances.Single();
        await Eventually.TrueAsync(() => soc.State == InstanceState.Failed, Timeout, "the soc sensor switched off");

        Assert.Contains("switched off after", soc.ToInfo().Error, StringComparison.Ordinal);
        Assert.Contains("FileNotFoundException", soc.ToInfo().Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_EndsEveryReadLoopAtOnce_NotAfterTheDrainTime()
    {
        var hardware = new SimulatedSensorHardware(_sysfs.Path, TimeProvider.System);
        var host = await StartAsync(hardware, Sensor("barn", "", ["Device=bme280", "IntervalSeconds=0.2"]), Sensor("pump", "", ["Device=mpu6050"]), Sensor("air", "", ["Device=sht3x"]));
        await WaitForAsync(r => r.Any(x => x.SensorId == "pump"));

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await host.DisposeAsync();

        // A loop left to the runner's drain would take 5 s a sensor; the node's whole stop has 15 s.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(4), $"stopping three sensors took {stopping.Elapsed.TotalSeconds:0.0} s");
    }

    public async ValueTask DisposeAsync()
    {
        if (_outbox is not null)
        {
            await _outbox.DisposeAsync();
        }

        _folders.Dispose();
        _sysfs.Dispose();
    }

    private static SensorOptions Sensor(string id, string camera, string[] settings)
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => s.Split('=')).Select(p => new KeyValuePair<string, string?>($"S:{p[0]}", p[1]))).Build().GetSection("S");
        return new SensorOptions { Id = id, Name = id, Plugin = "sense", Camera = camera, Settings = section, Path = $"Sensors:{id}" };
    }

    private async Task<SensorHost> StartAsync(SimulatedSensorHardware hardware, params SensorOptions[] sensors)
    {
        _outbox = await TestOutbox.OpenAsync();
        var options = new SensorsOptions();
        options.Items.AddRange(sensors);
        var node = new NodeOptions { Id = "barn", PluginCallBudgetMilliseconds = 1000, PluginHangSeconds = 10 };
        var host = new SensorHost(Options.Create(options), Options.Create(node), hardware, _outbox.Results, TimeProvider.System, NullLoggerFactory.Instance);
        var catalog = _folders.Catalog();
        catalog.LoadAll(RepositoryPaths.NodePluginsDirectory);
        await host.StartAsync(catalog, CancellationToken.None);
        return host;
    }

    private async Task<IReadOnlyList<Result>> WaitForAsync(Func<IReadOnlyList<Result>, bool> done)
    {
        IReadOnlyList<Result> results = [];
        await Eventually.TrueAsync(
            async () =>
            {
                results = await _outbox!.Results.ReadAfterAsync(0, 10_000, CancellationToken.None);
                return done(results);
            },
            Timeout,
            "sensor readings in the outbox");
        return results;
    }
}
