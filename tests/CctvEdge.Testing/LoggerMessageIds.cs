using System.Reflection;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Testing;

/// <summary>
/// The [LoggerMessage] event ids of one program: its assembly and every CctvEdge assembly it references, directly or
/// not, since they all log into the same process. Log filters and alerts key on the id, so one id must mean one message.
/// </summary>
public static class LoggerMessageIds
{
    /// <summary>
    /// Null when every event id in the program's process means one message; otherwise what is wrong, as a test
    /// failure should say it. A scan that did not see the program's own messages and Storage's is wrong too: an empty
    /// result from it would prove nothing.
    /// </summary>
    public static string? Problems(Assembly program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var scanned = Scan(program);
        foreach (var expected in new[] { "CctvEdge.Storage", program.GetName().Name })
        {
            if (!scanned.Any(m => m.Name.EndsWith($"({expected})", StringComparison.Ordinal)))
            {
                return $"The scan found no [LoggerMessage] methods in {expected}.";
            }
        }

        var duplicates = Duplicates(program);
        return duplicates.Count == 0 ? null : "Event ids used more than once in one process:" + Environment.NewLine + string.Join(
            Environment.NewLine, duplicates.Select(d => $"  {d.Key}: {string.Join(", ", d.Value)}"));
    }

    /// <summary>Each event id that more than one method uses, with those methods as "Type.Method (assembly)".</summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<string>> Duplicates(Assembly program) =>
        Scan(program)
            .GroupBy(m => m.EventId)
            .Where(g => g.Count() > 1)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(m => m.Name).Order(StringComparer.Ordinal).ToList());

    /// <summary>Every [LoggerMessage] method with an explicit event id, in the program and its CctvEdge assemblies.</summary>
    public static IReadOnlyList<(int EventId, string Name)> Scan(Assembly program)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        return ProcessAssemblies(program)
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(all))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is { EventId: >= 0 })
            .Select(x => (x.Attribute!.EventId, $"{x.Method.DeclaringType!.FullName}.{x.Method.Name} ({x.Method.DeclaringType.Assembly.GetName().Name})"))
            .ToList();
    }

    /// <summary>The program and the CctvEdge assemblies it loads through its references (plugins are loaded apart and excluded).</summary>
    public static IReadOnlyList<Assembly> ProcessAssemblies(Assembly program)
    {
        var found = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase) { [program.GetName().Name!] = program };
        var pending = new Queue<Assembly>([program]);
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is { } name && name.StartsWith("CctvEdge", StringComparison.OrdinalIgnoreCase) && !found.ContainsKey(name))
                {
                    var loaded = Assembly.Load(reference);
                    found[name] = loaded;
                    pending.Enqueue(loaded);
                }
            }
        }

        return [.. found.Values];
    }
}
