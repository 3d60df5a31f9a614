using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using Microsoft.Extensions.Configuration;

namespace CctvEdge.Node.Plugins;

/// <summary>
/// What the config asks of one plugin on one camera (<c>Cameras:N:Plugins:&lt;id&gt;</c>): whether it runs, and its
/// settings as flat key/value pairs, copied out of the config so a later reload cannot change them under a running
/// instance.
/// </summary>
internal sealed record PluginAssignment(string PluginId, bool Enabled, IReadOnlyDictionary<string, string> Settings, string SettingsPath)
{
    /// <summary>The host's own key in a plugin's settings block; plugins never see it.</summary>
    public const string EnabledKey = "Enabled";

    public static PluginAssignment From(string cameraPath, string pluginId, IConfigurationSection? section)
    {
        var settings = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in section?.AsEnumerable(makePathsRelative: true) ?? [])
        {
            if (value is not null && !key.Equals(EnabledKey, StringComparison.OrdinalIgnoreCase))
            {
                settings[key] = value;
            }
        }

        // On unless Enabled is false; the validator has already refused values that are not true or false.
        var enabled = section?[EnabledKey] is not { } text || !bool.TryParse(text, out var on) || on;
        return new PluginAssignment(pluginId.ToLowerInvariant(), enabled, settings, $"{cameraPath}:Plugins:{pluginId}");
    }

    /// <summary>The plugins assigned to each camera id, as the cameras' config says.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<PluginAssignment>> ForCameras(IEnumerable<CameraOptions> cameras) =>
        cameras.ToDictionary(
            c => c.Id,
            c => (IReadOnlyList<PluginAssignment>)[.. c.Plugins.Select(p => From(c.Path, p.Key, p.Value))],
            StringComparer.Ordinal);

    public bool SameSettings(PluginAssignment other) =>
        Settings.Count == other.Settings.Count && Settings.All(kv => other.Settings.TryGetValue(kv.Key, out var value) && value == kv.Value);

    /// <summary>The settings as a configuration the binder reads.</summary>
    public IConfiguration ToConfiguration() => new ConfigurationBuilder().AddInMemoryCollection(Settings!).Build();
}
