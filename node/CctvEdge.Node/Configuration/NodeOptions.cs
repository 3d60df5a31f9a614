namespace CctvEdge.Node.Configuration;

/// <summary>The <c>Node</c> section: who this node is and where it keeps its files.</summary>
internal sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>Stable identity, unique among the server's nodes: lower-case letters, digits and '-'.</summary>
    public string Id { get; set; } = "";

    /// <summary>What people call it; defaults to the id.</summary>
    public string Name { get; set; } = "";

    /// <summary>Where the node keeps its state and camera files; relative paths are under the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>One folder per plugin; empty means the <c>plugins</c> folder next to the agent.</summary>
    public string PluginsDirectory { get; set; } = "";

    /// <summary>Free space the disk guard keeps on the data directory's disk, by dropping the oldest data first.</summary>
    public int MinFreeMegabytes { get; set; } = 256;

    /// <summary>A plugin call (a frame, a tick, an event) longer than this is counted and reported; it is not stopped.</summary>
    public int PluginCallBudgetMilliseconds { get; set; } = 1000;

    /// <summary>A plugin call still running after this many seconds is reported as hung and the instance switched off.</summary>
    public double PluginHangSeconds { get; set; } = 30;

    /// <summary>Seconds between rescans of the plugins directory; file system events usually notice a change at once.</summary>
    public double PluginRescanSeconds { get; set; } = 10;

    /// <summary>How long a plugin folder must stay unchanged before it is loaded, so a copy is not loaded half-way.</summary>
    public int PluginQuietMilliseconds { get; set; } = 1000;

    public string ResolvedDataDirectory => Path.GetFullPath(DataDirectory);

    public string ResolvedPluginsDirectory =>
        string.IsNullOrWhiteSpace(PluginsDirectory) ? Path.Combine(AppContext.BaseDirectory, "plugins") : Path.GetFullPath(PluginsDirectory);

    /// <summary>Where plugin folders are copied before they are loaded, so the originals can be replaced at any time.</summary>
    public string PluginShadowDirectory => Path.Combine(ResolvedDataDirectory, "plugin-shadow");

    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Id : Name;
}
