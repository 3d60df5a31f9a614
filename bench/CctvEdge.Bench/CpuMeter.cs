using System.Diagnostics;
using System.Globalization;

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

    /// <summary>utime + stime from /proc/PID/stat (fields 14 and 15, counted after the parenthesised name).</summary>
    private static double ProcessSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        // /proc counts in USER_HZ, which Linux fixes at 100 for user space whatever the kernel's own tick rate.
        return ticks / 100.0;
    }
}
