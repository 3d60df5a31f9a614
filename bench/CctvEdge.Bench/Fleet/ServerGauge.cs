using System.Globalization;
using CctvEdge.Harness;

namespace CctvEdge.Bench.Fleet;

/// <summary>The server process's CPU over a run and its memory (resident now and at peak), from /proc.</summary>
internal sealed class ServerGauge(int pid)
{
    private readonly double _cpuStart = ProcessCpu.Seconds(pid);

    public double CpuSeconds => ProcessCpu.Seconds(pid) - _cpuStart;

    /// <summary>VmRSS and VmHWM in MiB (0 when the process is gone).</summary>
    public (double Resident, double Peak) MemoryMiB()
    {
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
