using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace CctvEdge.Plugins.Sense;

/// <summary>
/// A sensor's <c>Settings</c>. <see cref="Device"/> picks the reader; the other keys apply to the devices that use
/// them. <c>Bus</c>, <c>Address</c> and <c>Pin</c> are the names the node checks across sensors.
/// </summary>
public sealed class SenseSettings : IValidatableObject
{
    /// <summary>bme280, bmp280, sht3x, sht4x, dht22, mpu6050, adxl345, ds18b20, thermal, hwmon or iio.</summary>
    [Required]
    public string Device { get; set; } = "";

    /// <summary>The I2C bus (/dev/i2c-N) of an I2C device, the SPI bus (/dev/spidevN.C) of an SPI one.</summary>
    [Range(0, 255)]
    public int Bus { get; set; } = 1;

    /// <summary>The I2C address, hex ("0x76") or decimal; empty for the device's usual one.</summary>
    public string Address { get; set; } = "";

    /// <summary>dht22: the GPIO line (BCM number) of its data pin.</summary>
    [Range(0, 53)]
    public int? Pin { get; set; }

    /// <summary>adxl345: the SPI chip select (/dev/spidevB.N).</summary>
    [Range(0, 7)]
    public int ChipSelect { get; set; }

    /// <summary>Seconds between readings (climate and temperature devices).</summary>
    [Range(0.1, 86400)]
    public double IntervalSeconds { get; set; } = 10;

    /// <summary>ds18b20: the 1-Wire id (28-xxxxxxxxxxxx); empty for the only one on the bus.</summary>
    public string DeviceId { get; set; } = "";

    /// <summary>thermal: the zone under /sys/class/thermal; hwmon: the input under /sys/class/hwmon; iio: the device under /sys/bus/iio/devices.</summary>
    public string Path { get; set; } = "";

    /// <summary>thermal, hwmon, ds18b20: the measurement's name (default cpu.temperature for thermal, temperature otherwise).</summary>
    public string Measurement { get; set; } = "";

    /// <summary>mpu6050: samples per second.</summary>
    [Range(10, 1000)]
    public double SampleRate { get; set; } = 400;

    /// <summary>mpu6050: the RMS vibration (g) above which a vibration event opens.</summary>
    [Range(0.001, 16)]
    public double Threshold { get; set; } = 0.1;

    /// <summary>
    /// mpu6050: when above 0, the threshold rises to the quiet baseline's mean plus this many standard deviations, so
    /// a machine that always hums does not raise events all day (as the motion plugin's adaptive threshold does).
    /// </summary>
    [Range(0, 100)]
    public double AdaptiveFactor { get; set; }

    /// <summary>mpu6050: seconds below the threshold that end an event.</summary>
    [Range(0, 3600)]
    public double GapSeconds { get; set; } = 3;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!SenseDevices.Known.Contains(Device, StringComparer.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"Device '{Device}' is not one of {string.Join(", ", SenseDevices.Known)}.", [nameof(Device)]);
        }

        if (string.Equals(Device, "dht22", StringComparison.OrdinalIgnoreCase) && Pin is null)
        {
            yield return new ValidationResult("Pin is required for a dht22: the GPIO line of its data pin, e.g. 4.", [nameof(Pin)]);
        }

        if (Address.Length > 0 && ParseAddress(Address) is null)
        {
            yield return new ValidationResult($"Address '{Address}' is not an I2C address such as \"0x76\".", [nameof(Address)]);
        }
    }

    /// <summary>The configured I2C address, or <paramref name="usual"/> when none is set.</summary>
    public int AddressOr(int usual) => Address.Length == 0 ? usual : ParseAddress(Address) ?? usual;

    private static int? ParseAddress(string text)
    {
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        return int.TryParse(hex ? text.AsSpan(2) : text, hex ? NumberStyles.HexNumber : NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value is >= 0x03 and <= 0x77
            ? value
            : null;
    }
}
