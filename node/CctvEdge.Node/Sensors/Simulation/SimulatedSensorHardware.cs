using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Spi;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Sensors.Simulation;

/// <summary>
/// Simulated buses (<c>Hardware:Simulated</c>): on every I2C bus a BME280 answers at 0x76 and 0x77, a BMP280 at 0x75,
/// an SHT3x/SHT4x at 0x44 and 0x45, and an MPU6050 at 0x68 and 0x69; on every SPI bus an ADXL345 at chip selects 0
/// and 1 (a Pi's CE0 and CE1), nothing at the others; DHT22s on GPIO 4, 17 and 27, nothing on the other pins.
/// They are fed by <see cref="Climate"/> or <see cref="Machine"/>; other I2C addresses fail like an empty bus.
/// </summary>
internal sealed class SimulatedSensorHardware : ISensorHardware, IDisposable
{
    public static readonly IReadOnlySet<int> Dht22Pins = new HashSet<int> { 4, 17, 27 };

    private readonly string _sysfsRoot;
    private readonly TimeProvider _clock;
    private readonly Lazy<GpioController> _gpio;

    public SimulatedSensorHardware(string sysfsRoot, TimeProvider clock)
    {
        _sysfsRoot = sysfsRoot;
        _clock = clock;
        _gpio = new(() => new GpioController(new SimulatedGpioDriver(Dht22Pins, _clock, at => Climate(at))), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>What the climate sensors measure; a daily curve unless a test sets its own.</summary>
    public Func<DateTimeOffset, Climate> Climate { get; set; } = Simulation.Climate.DailyCurve;

    /// <summary>What the accelerometers feel.</summary>
    public Func<DateTimeOffset, System.Numerics.Vector3> Machine { get; set; } = SimulatedMachine.Acceleration;

    public string SysfsRoot => _sysfsRoot;

    public GpioController Gpio => _gpio.Value;

    /// <summary>The device most recently opened, so a test can unplug or corrupt it.</summary>
    public IDisposable? LastOpened { get; private set; }

    public I2cDevice OpenI2c(int busId, int address)
    {
        var device = Create(busId, address);
        LastOpened = device;
        return device;
    }

    public SpiDevice OpenSpi(int busId, int chipSelect, int clockFrequency = 5_000_000, SpiMode mode = SpiMode.Mode3) =>
        new SimulatedAdxl345(busId, chipSelect, _clock, at => Machine(at), absent: chipSelect > 1);

    public void Dispose()
    {
        if (_gpio.IsValueCreated)
        {
            _gpio.Value.Dispose();
        }
    }

    private I2cDevice Create(int busId, int address) => address switch
    {
        0x76 or 0x77 => new SimulatedBme280(busId, address, _clock, at => Climate(at)),
        0x75 => new SimulatedBme280(busId, address, _clock, at => Climate(at), humidity: false),
        0x44 or 0x45 => new SimulatedSensirion(busId, address, _clock, at => Climate(at)),
        0x68 or 0x69 => new SimulatedMpu6050(busId, address, _clock, at => Machine(at)),
        _ => throw new IOException($"No simulated device answers at address 0x{address:x2} on I2C bus {busId} (Hardware:Simulated offers 0x44, 0x45, 0x68, 0x69, 0x75, 0x76, 0x77)."),
    };
}
