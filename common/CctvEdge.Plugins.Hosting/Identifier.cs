using System.Text.RegularExpressions;

namespace CctvEdge.Plugins.Hosting;

/// <summary>
/// The rule for ids of nodes, cameras and plugins. They end up in URLs and file paths on the server, so both ends
/// restrict them to a safe alphabet: the node at configuration time, the server again on every message, and both
/// hosts for the ids in plugin manifests. It lives here, in the layer node and server share, rather than with the wire
/// contract, so plugin hosting needs nothing from the protocol.
/// </summary>
public static partial class Identifier
{
    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "1 to 63 characters: lower-case letters, digits, '-' and '_', starting with a letter or digit";

    /// <summary>True when <paramref name="value"/> follows the rule.</summary>
    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
