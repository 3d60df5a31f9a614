using System.Globalization;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>A process seen in /proc: its start time tells it apart from a later process that reuses the id.</summary>
internal sealed record ProcEntry(int Pid, int ParentPid, string Name, char State, ulong StartTicks)
{
    /// <summary>Still running: the same process exists and is not a zombie (an orphan nobody reaped is dead).</summary>
    public bool IsAlive => ProcessTree.Read(Pid) is { } now && now.StartTicks == StartTicks && now.State != 'Z';
}

/// <summary>Reads the process tree from /proc, to see what a script started and whether any of it outlived it.</summary>
internal static class ProcessTree
{
    public static ProcEntry? Read(int pid)
    {
        try
        {
            // "pid (comm) state ppid ... starttime(22) ...": comm may hold spaces and parentheses, so split after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            return new ProcEntry(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), name, fields[0][0], ulong.Parse(fields[19], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Every living descendant of <paramref name="root"/> (children, their children, ...).</summary>
    public static IReadOnlyList<ProcEntry> Descendants(int root)
    {
        var all = Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? Read(pid) : null)
            .OfType<ProcEntry>()
            .Where(p => p.State != 'Z')
            .ToList();
        var found = new List<ProcEntry>();
        var parents = new Queue<int>([root]);
        while (parents.TryDequeue(out var parent))
        {
            foreach (var child in all.Where(p => p.ParentPid == parent))
            {
                found.Add(child);
                parents.Enqueue(child.Pid);
            }
        }

        return found;
    }
}
