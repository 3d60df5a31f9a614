using System.Globalization;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Sensors.Microcontrollers;
using CctvEdge.Plugins.Hosting;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Sensors;

/// <summary>
/// Checks the <c>Sensors</c> section at start, so a wrong sensor stops the agent with the key to fix rather than
/// failing later: ids, installed plugins, linked cameras, and the hardware keys (<see cref="HardwareKeys"/>) across
/// sensors: one I2C address or SPI chip select per bus, one sensor per GPIO pin, pins that exist.
/// </summary>
internal sealed class SensorsOptionsValidator(IOptions<NodeOptions> node, IOptions<CamerasOptions> cameras) : IValidateOptions<SensorsOptions>
{
    public ValidateOptionsResult Validate(string? name, SensorsOptions options)
    {
        var errors = new List<string>();
        var installed = InstalledPluginIds(node.Value.ResolvedPluginsDirectory);
        var cameraIds = cameras.Value.Items.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var devices = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sensor in options.Items)
        {
            var at = sensor.Path;
            if (!Identifier.IsValid(sensor.Id))
            {
                errors.Add(string.IsNullOrEmpty(sensor.Id) ? $"{at}:Id is required." : $"{at}:Id '{sensor.Id}' is invalid: {Identifier.Rule}.");
            }
            else if (!ids.Add(sensor.Id))
            {
                errors.Add($"{at}:Id '{sensor.Id}' is used by another sensor; sensor ids must be unique.");
            }

            if (string.IsNullOrWhiteSpace(sensor.Plugin))
            {
                errors.Add($"{at}:Plugin is required, e.g. \"sense\".");
            }
            else if (string.Equals(sensor.Plugin, MicrocontrollerDevices.PluginId, StringComparison.OrdinalIgnoreCase))
            {
                CheckMicrocontroller(sensor, errors);
            }
            else if (!installed.Contains(sensor.Plugin))
            {
                errors.Add($"{at}:Plugin '{sensor.Plugin}' is not installed in {node.Value.ResolvedPluginsDirectory} (installed: {string.Join(", ", installed.Order())}).");
            }

            if (sensor.Camera.Length > 0 && !cameraIds.Contains(sensor.Camera))
            {
                errors.Add($"{at}:Camera '{sensor.Camera}' is not a camera of this node.");
            }

            if (sensor.Enabled)
            {
                ClaimHardware(sensor, devices, errors);
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>A board posting to the node has a token and outputs, nothing else the node would silently ignore.</summary>
    private static void CheckMicrocontroller(SensorOptions sensor, List<string> errors)
    {
        foreach (var setting in sensor.Settings?.GetChildren() ?? [])
        {
            if (setting.Key is not (MicrocontrollerDevices.TokenKey or MicrocontrollerDevices.OutputsKey))
            {
                errors.Add($"{sensor.Path}:Settings:{setting.Key} is not a microcontroller setting: {MicrocontrollerDevices.TokenKey} and {MicrocontrollerDevices.OutputsKey} are.");
            }
        }
    }

    private static void ClaimHardware(SensorOptions sensor, Dictionary<string, string> devices, List<string> errors)
    {
        var settings = sensor.Settings;
        var at = $"{sensor.Path}:Settings";
        var bus = settings?[HardwareKeys.Bus];
        if (bus is not null && !TryParseNumber(bus, out _))
        {
            errors.Add($"{at}:{HardwareKeys.Bus} '{bus}' is not a bus number.");
        }

        if (settings?[HardwareKeys.Address] is { } address)
        {
            if (!TryParseNumber(address, out var value) || value is < 0x03 or > 0x77)
            {
                errors.Add($"{at}:{HardwareKeys.Address} '{address}' is not a 7-bit I2C address (0x03-0x77, e.g. \"0x76\").");
            }
            else
            {
                Claim(devices, $"I2C bus {bus ?? "1"} address 0x{value:x2}", sensor, $"{at}:{HardwareKeys.Address}", errors);
            }
        }

        if (settings?[HardwareKeys.ChipSelect] is { } chipSelect)
        {
            if (!TryParseNumber(chipSelect, out var value) || value is < 0 or > 7)
            {
                errors.Add($"{at}:{HardwareKeys.ChipSelect} '{chipSelect}' must be 0-7.");
            }
            else
            {
                Claim(devices, $"SPI bus {bus ?? "0"} chip select {value}", sensor, $"{at}:{HardwareKeys.ChipSelect}", errors);
            }
        }

        if (settings?[HardwareKeys.Pin] is { } pin)
        {
            if (!TryParseNumber(pin, out var value) || value is < 0 or > HardwareKeys.MaxPin)
            {
                errors.Add($"{at}:{HardwareKeys.Pin} '{pin}' is out of range: BCM GPIO numbers are 0-{HardwareKeys.MaxPin}.");
            }
            else
            {
                Claim(devices, $"GPIO pin {value}", sensor, $"{at}:{HardwareKeys.Pin}", errors);
            }
        }
    }

    private static void Claim(Dictionary<string, string> devices, string device, SensorOptions sensor, string key, List<string> errors)
    {
        if (!devices.TryAdd(device, sensor.Id))
        {
            errors.Add($"{key}: {device} is already used by sensor '{devices[device]}'; one device, one sensor.");
        }
    }

    /// <summary>Decimal or 0x-prefixed hexadecimal, as installers write I2C addresses.</summary>
    internal static bool TryParseNumber(string text, out int value) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value)
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    /// <summary>The ids in the plugin folders' manifests: enough to name a missing plugin before anything loads.</summary>
    private static HashSet<string> InstalledPluginIds(string directory)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (!Directory.Exists(directory))
        {
            return ids;
        }

        foreach (var folder in Directory.EnumerateDirectories(directory))
        {
            try
            {
                ids.Add(PluginManifest.Read(folder).Id);
            }
            catch (Exception ex) when (ex is PluginLoadException or IOException)
            {
                // A broken folder is reported by the catalog; it installs no plugin a sensor could use.
            }
        }

        return ids;
    }
}
