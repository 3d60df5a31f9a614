namespace CctvEdge.Plugins.Sdk;

/// <summary>
/// The plugin ABI this SDK defines. A plugin's manifest names the ABI it was built for; the node loads it only when
/// the numbers match. Raised only for breaking changes to the types in this assembly.
/// </summary>
public static class PluginAbi
{
    /// <summary>The ABI version of this SDK.</summary>
    public const int Version = 1;
}
