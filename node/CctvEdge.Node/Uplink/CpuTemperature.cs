using System.Globalization;

namespace CctvEdge.Node.Uplink;

/// <summary>
/// The CPU's temperature from Linux thermal zones (<c>/sys/class/thermal/thermal_zone*/{type,temp}</c>, millidegrees):
/// the zone that names the CPU or SoC (a Pi's <c>cpu-thermal</c>, Intel's <c>x86_pkg_temp</c>, ...), else the first
/// zone. Null where there is none (containers, most VMs). The root is a seam, so tests read a folder of their own.
/// </summary>
internal sealed class CpuTemperature(string thermalRoot = "/sys/class/thermal")
{
    private static readonly string[] CpuZoneTypes = ["cpu-thermal", "cpu_thermal", "x86_pkg_temp", "soc_thermal", "soc-thermal", "coretemp", "k10temp", "cpu"];

    public double? Read()
    {
        try
        {
            if (!Directory.Exists(thermalRoot))
            {
                return null;
            }

            var zones = Directory.GetDirectories(thermalRoot, "thermal_zone*").Order(StringComparer.Ordinal)
                .Select(zone => (Type: ReadText(Path.Combine(zone, "type")), Millidegrees: ReadText(Path.Combine(zone, "temp"))))
                .Where(z => long.TryParse(z.Millidegrees, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                .ToList();
            var zone = zones.FirstOrDefault(z => CpuZoneTypes.Any(t => z.Type.Contains(t, StringComparison.OrdinalIgnoreCase)));
            zone = zone.Type is null ? zones.FirstOrDefault() : zone;
            return zone.Millidegrees is null ? null : Math.Round(long.Parse(zone.Millidegrees, CultureInfo.InvariantCulture) / 1000.0, 1, MidpointRounding.AwayFromZero);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A zone that vanished or cannot be read: informative only, heartbeats go on without it.
            return null;
        }
    }

    private static string ReadText(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "";
}
