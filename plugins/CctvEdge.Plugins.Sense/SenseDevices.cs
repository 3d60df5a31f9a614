using CctvEdge.Plugins.Sdk;
using CctvEdge.Plugins.Sense.Devices;

namespace CctvEdge.Plugins.Sense;

/// <summary>The devices the plugin reads, by their <c>Device</c> setting.</summary>
internal static class SenseDevices
{
    public static readonly string[] Known = ["bme280", "bmp280", "sht3x", "sht4x", "dht22", "mpu6050", "adxl345", "ds18b20", "thermal", "hwmon", "iio"];

    public static ISenseDevice Open(SenseSettings settings, ISensorHardware hardware)
    {
        var interval = TimeSpan.FromSeconds(settings.IntervalSeconds);
        return settings.Device.ToLowerInvariant() switch
        {
            "bme280" => ClimateDevice.Bme280(hardware.OpenI2c(settings.Bus, settings.AddressOr(0x76)), interval),
            "bmp280" => ClimateDevice.Bmp280(hardware.OpenI2c(settings.Bus, settings.AddressOr(0x76)), interval),
            "sht3x" => new SensirionDevice(hardware.OpenI2c(settings.Bus, settings.AddressOr(0x44)), sht4x: false, interval),
            "sht4x" => new SensirionDevice(hardware.OpenI2c(settings.Bus, settings.AddressOr(0x44)), sht4x: true, interval),
            "dht22" => new Dht22Device(hardware.Gpio, settings.Pin!.Value, interval),
            "mpu6050" => new VibrationDevice(new Mpu6050Fifo(hardware.OpenI2c(settings.Bus, settings.AddressOr(0x68)), settings.SampleRate), settings),
            "adxl345" => new VibrationDevice(new Adxl345Fifo(hardware.OpenSpi(settings.Bus, settings.ChipSelect, 5_000_000, System.Device.Spi.SpiMode.Mode3), settings.SampleRate), settings),
            "ds18b20" => OneWireThermometer.Open(hardware.SysfsRoot, settings.DeviceId, Name(settings, "temperature"), interval),
            "thermal" => SysfsValueFile.Thermal(hardware.SysfsRoot, settings.Path.Length > 0 ? settings.Path : "thermal_zone0", Name(settings, "cpu.temperature"), interval),
            "hwmon" => SysfsValueFile.Hwmon(hardware.SysfsRoot, settings.Path.Length > 0 ? settings.Path : "hwmon0/temp1_input", Name(settings, "temperature"), interval),
            "iio" => IioDevice.Open(hardware.SysfsRoot, settings.Path.Length > 0 ? settings.Path : "iio:device0", interval),
            _ => throw new PluginSettingsException($"Device '{settings.Device}' is not one of {string.Join(", ", Known)}."),
        };
    }

    private static string Name(SenseSettings settings, string usual) => settings.Measurement.Length > 0 ? settings.Measurement : usual;
}
