using System.Diagnostics;
using CctvEdge.Harness;

namespace CctvEdge.Bench;

/// <summary>CPU seconds (user + system) spent by this process and by another one between <see cref="Start"/> and <see cref="Stop"/>.</summary>
internal sealed class CpuMeter
{
    private readonly int _otherPid;
    private readonly TimeSpan _ownStart;
    private readonly double _otherStart;

    private CpuMeter(int otherPid)
    {
        _otherPid = otherPid;
        _ownStart = Process.GetCurrentProcess().TotalProcessorTime;
        _otherStart = ProcessSeconds(otherPid);
    }

    public static CpuMeter Start(int otherPid) => new(otherPid);

    /// <summary>(this process, the other process), in CPU seconds.</summary>
    public (double Own, double Other) Stop() =>
        ((Process.GetCurrentProcess().TotalProcessorTime - _ownStart).TotalSeconds, ProcessSeconds(_otherPid) - _otherStart);

    private static double ProcessSeconds(int pid) => ProcessCpu.Seconds(pid);
}
