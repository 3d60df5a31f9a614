using CctvEdge.Harness;
using CctvEdge.Node.Uplink;

namespace CctvEdge.Node.Tests;

/// <summary>The CPU temperature from thermal zones laid out as Linux does, in a folder of the test's own.</summary>
public sealed class CpuTemperatureTests : IDisposable
{
    private readonly TempDirectory _root = new("cctvedge-thermal");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Read_CpuZoneAmongOthers_ThatOneInDegrees()
    {
        Zone(0, "acpitz", "27800");
        Zone(1, "x86_pkg_temp", "51250");

        Assert.Equal(51.3, new CpuTemperature(_root.Path).Read());
    }

    [Fact]
    public void Read_OnlyAnUnnamedZone_TheFirstZone()
    {
        Zone(0, "pch_skylake", "44000");

        Assert.Equal(44.0, new CpuTemperature(_root.Path).Read());
    }

    [Fact]
    public void Read_NoZonesOrGarbage_Null()
    {
        Assert.Null(new CpuTemperature(Path.Combine(_root.Path, "missing")).Read());
        Zone(0, "cpu-thermal", "not a number");
        Assert.Null(new CpuTemperature(_root.Path).Read());
    }

    private void Zone(int index, string type, string millidegrees)
    {
        var zone = Directory.CreateDirectory(Path.Combine(_root.Path, $"thermal_zone{index}")).FullName;
        File.WriteAllText(Path.Combine(zone, "type"), type + "\n");
        File.WriteAllText(Path.Combine(zone, "temp"), millidegrees + "\n");
    }
}
