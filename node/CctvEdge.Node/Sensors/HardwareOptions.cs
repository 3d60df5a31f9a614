namespace CctvEdge.Node.Sensors;

/// <summary>The <c>Hardware</c> section: which buses sensor plugins get.</summary>
internal sealed class HardwareOptions
{
    public const string Section = "Hardware";

    /// <summary>
    /// Hand sensor plugins simulated devices (a BME280, an SHT31 and an MPU6050 answering at their usual I2C addresses
    /// on every bus) instead of /dev/i2c-N: the demo and tests run the real bindings without a Pi.
    /// </summary>
    public bool Simulated { get; set; }

    /// <summary>Where 1-Wire, hwmon, thermal and IIO devices are read; a fake tree in tests.</summary>
    public string SysfsRoot { get; set; } = "/sys";
}
