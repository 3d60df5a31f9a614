using System.Text.RegularExpressions;

namespace CctvEdge.Server.Storage;

/// <summary>Clip ids are chosen by nodes and become file names: letters, digits, '-' and '_' only.</summary>
internal static partial class ClipIds
{
    public const long MaxSize = 16L * 1024 * 1024 * 1024;

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
