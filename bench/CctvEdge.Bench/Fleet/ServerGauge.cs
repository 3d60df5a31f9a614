using System.Globalization;
using CctvEdge.Harness;

namespace CctvEdge.Bench.Fleet;

/// <summary>
/// The server process's CPU over a run and its memory (resident now and at peak), from /proc; and the CPU of the
/// database server's processes when the database runs apart (PostgreSQL), so the two engines are compared whole.
/// </summary>
internal sealed class ServerGauge(int? pid, int? databasePid)
{
    private readonly double _cpuStart = pid is { } p ? ProcessCpu.Seconds(p) : 0;
    private readonly double _databaseStart = databasePid is { } d ? ProcessCpu.TreeSeconds(d) : 0;

    /// <summary>The server's and the database's CPU seconds since the gauge was made, read together at the window's end.</summary>
    public (double Server, double Database) CpuSeconds() =>
        (pid is { } p ? ProcessCpu.Seconds(p) - _cpuStart : 0, databasePid is { } d ? ProcessCpu.TreeSeconds(d) - _databaseStart : 0);

    /// <summary>VmRSS and VmHWM in MiB (0 when the process is gone).</summary>
    public (double Resident, double Peak) MemoryMiB()
    {
        if (pid is null)
        {
            return (0, 0);
        }

        try
        {
            var lines = File.ReadAllLines($"/proc/{pid}/status");
            return (Field(lines, "VmRSS:"), Field(lines, "VmHWM:"));
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    private static double Field(string[] lines, string name) =>
        lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal)) is { } line
            ? long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0
            : 0;
}
