using Microsoft.Extensions.Configuration;

namespace CctvEdge.Node.Sensors;

/// <summary>The <c>Sensors</c> section: the node's sensors, each read by a sensor plugin.</summary>
internal sealed class SensorsOptions
{
    public const string Section = "Sensors";

    public List<SensorOptions> Items { get; } = [];
}

/// <summary>
/// One entry of <c>Sensors</c>: <c>{ "Id": "barn", "Name": "Barn", "Plugin": "sense", "Camera": "yard",
/// "Settings": { "Device": "bme280", "Bus": 1, "Address": "0x76" } }</c>. Settings belong to the plugin, except that
/// <see cref="HardwareKeys"/> are checked by the node across sensors.
/// </summary>
internal sealed class SensorOptions
{
    /// <summary>Unique on the node, like a camera id.</summary>
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The sensor plugin's id, e.g. sense.</summary>
    public string Plugin { get; set; } = "";

    /// <summary>The camera it is linked to for the timeline; empty for none.</summary>
    public string Camera { get; set; } = "";

    public bool Enabled { get; set; } = true;

    /// <summary>The plugin's settings, as written.</summary>
    public IConfigurationSection? Settings { get; set; }

    /// <summary>The entry's key in the config, e.g. Sensors:0.</summary>
    public string Path { get; set; } = "";

    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Id : Name;

    /// <summary>The device kind the plugin reads (its <c>Device</c> setting), or the plugin id.</summary>
    public string Kind => Settings?[HardwareKeys.Device] is { Length: > 0 } device ? device.ToLowerInvariant() : Plugin;
}

/// <summary>
/// Setting names every sensor plugin uses for the hardware it claims, so the node can refuse two sensors on one device
/// or a pin that does not exist before anything starts.
/// </summary>
internal static class HardwareKeys
{
    public const string Device = "Device";
    public const string Bus = "Bus";
    public const string Address = "Address";
    public const string ChipSelect = "ChipSelect";
    public const string Pin = "Pin";

    /// <summary>BCM GPIO numbers of the Raspberry Pi's SoC (the 40-pin header uses 0-27).</summary>
    public const int MaxPin = 53;
}
