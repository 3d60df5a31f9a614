using System.Globalization;
using System.Reflection;

namespace CctvEdge.Storage;

/// <summary>Numbered schema scripts embedded in an assembly, shared by every engine's migration runner.</summary>
public static class MigrationScripts
{
    /// <summary>Every embedded resource named <c>{prefix}NNN_*.sql</c>, by number.</summary>
    public static IEnumerable<(int Number, string Script)> Read(Assembly assembly, string prefix)
    {
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var number = int.Parse(name.AsSpan(prefix.Length, 3), CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            yield return (number, reader.ReadToEnd());
        }
    }
}
