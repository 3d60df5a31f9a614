using System.Device.I2c;
using CctvEdge.Plugins.Sdk;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.PowerMode;

namespace CctvEdge.Plugins.Sense.Devices;

/// <summary>
/// A Bosch BME280 (temperature, humidity, pressure) or BMP280 (no humidity) through Iot.Device.Bindings, in forced
/// mode: the chip sleeps between readings and measures once per read, as Bosch recommends for weather monitoring.
/// </summary>
internal sealed class ClimateDevice : ISenseDevice
{
    private readonly Bmx280Base _sensor;

    private ClimateDevice(Bmx280Base sensor, TimeSpan interval)
    {
        _sensor = sensor;
        Interval = interval;
    }

    public TimeSpan Interval { get; }

    /// <summary>Opens a BME280; the binding checks the chip id, so another chip at the address fails here.</summary>
    public static ClimateDevice Bme280(I2cDevice device, TimeSpan interval) => new(SenseDevice.Opened(device, () => new Bme280(device)), interval);

    public static ClimateDevice Bmp280(I2cDevice device, TimeSpan interval) => new(SenseDevice.Opened(device, () => new Bmp280(device)), interval);

    public async ValueTask ReadAsync(DateTimeOffset now, IResultPublisher results, CancellationToken cancellationToken)
    {
        _sensor.SetPowerMode(Bmx280PowerMode.Forced);
        await Task.Delay(_sensor.GetMeasurementDuration(), cancellationToken).ConfigureAwait(false);
        if (_sensor.TryReadTemperature(out var temperature))
        {
            await results.PublishAsync(new PluginMeasurement("temperature", Math.Round(temperature.DegreesCelsius, 2), "°C", now), cancellationToken).ConfigureAwait(false);
        }

        if (_sensor.TryReadPressure(out var pressure))
        {
            await results.PublishAsync(new PluginMeasurement("pressure", Math.Round(pressure.Hectopascals, 2), "hPa", now), cancellationToken).ConfigureAwait(false);
        }

        if (_sensor is Bme280 bme && bme.TryReadHumidity(out var humidity))
        {
            await results.PublishAsync(new PluginMeasurement("humidity", Math.Round(humidity.Percent, 1), "%", now), cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _sensor.Dispose();
}
