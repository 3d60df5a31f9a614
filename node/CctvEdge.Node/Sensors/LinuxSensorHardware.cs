using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Spi;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Sensors;

/// <summary>The node's real buses: /dev/i2c-N, /dev/spidevB.C, the SoC's GPIO lines and /sys.</summary>
internal sealed class LinuxSensorHardware(string sysfsRoot) : ISensorHardware, IDisposable
{
    private readonly Lazy<GpioController> _gpio = new(() => new GpioController(), LazyThreadSafetyMode.ExecutionAndPublication);

    public GpioController Gpio => _gpio.Value;

    public string SysfsRoot => sysfsRoot;

    public I2cDevice OpenI2c(int busId, int address) => I2cDevice.Create(new I2cConnectionSettings(busId, address));

    public SpiDevice OpenSpi(int busId, int chipSelect, int clockFrequency = 5_000_000, SpiMode mode = SpiMode.Mode3) =>
        SpiDevice.Create(new SpiConnectionSettings(busId, chipSelect) { ClockFrequency = clockFrequency, Mode = mode });

    public void Dispose()
    {
        if (_gpio.IsValueCreated)
        {
            _gpio.Value.Dispose();
        }
    }
}
