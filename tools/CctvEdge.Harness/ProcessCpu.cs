using System.Globalization;

namespace CctvEdge.Harness;

/// <summary>CPU time of processes from /proc, for benchmarks that compare what programs cost.</summary>
public static class ProcessCpu
{
    /// <summary>utime + stime of <paramref name="pid"/> in seconds (0 once it is gone).</summary>
    public static double Seconds(int pid)
    {
        var fields = StatFields(pid);
        // /proc counts in USER_HZ, which Linux fixes at 100 for user space whatever the kernel's own tick rate.
        return fields is null ? 0 : (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>
    /// utime + stime of <paramref name="pid"/> and every process below it now, plus what its children that ended had
    /// spent (a database server's backends come and go).
    /// </summary>
    public static double TreeSeconds(int pid)
    {
        var fields = StatFields(pid);
        if (fields is null)
        {
            return 0;
        }

        var ended = (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
        return Seconds(pid) + ended + Children(pid).Sum(TreeSeconds);
    }

    /// <summary>The processes whose parent is <paramref name="pid"/> now (a node's ffmpegs).</summary>
    public static IReadOnlyList<int> Children(int pid) =>
        Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0 && StatFields(id) is { } fields && fields[1] == pid.ToString(CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>The fields of /proc/PID/stat after the parenthesised name (state is [0], ppid [1], utime [11]).</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
