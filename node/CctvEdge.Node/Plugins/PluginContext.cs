using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Plugins;

/// <summary>The host's side of <see cref="IPluginContext"/> for one plugin instance.</summary>
internal sealed class PluginContext(
    string pluginId,
    CameraDescriptor camera,
    IConfiguration settings,
    string settingsPath,
    IResultPublisher results,
    ISnapshotSource snapshots,
    IClipRecorder clips,
    ILogger logger,
    TimeProvider clock) : IPluginContext
{
    /// <summary>The host's own key in a plugin's settings block; plugins never see it.</summary>
    public const string EnabledKey = "Enabled";

    public string PluginId => pluginId;

    public CameraDescriptor Camera => camera;

    public IResultPublisher Results => results;

    public ISnapshotSource Snapshots => snapshots;

    public IClipRecorder Clips => clips;

    public ILogger Logger => logger;

    public TimeProvider Clock => clock;

    public T BindSettings<T>()
        where T : class, new()
    {
        var bound = new T();
        try
        {
            settings.Bind(bound, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new PluginSettingsException($"{settingsPath}: {ex.Message}", ex);
        }

        return bound;
    }

    /// <summary>The settings block without the host's own keys.</summary>
    public static IConfiguration PluginSettings(IConfigurationSection? section)
    {
        var values = section is null
            ? []
            : section.AsEnumerable(makePathsRelative: true)
                .Where(kv => kv.Value is not null && !kv.Key.Equals(EnabledKey, StringComparison.OrdinalIgnoreCase));
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    /// <summary>Whether the settings block leaves the plugin on (it is on unless <c>Enabled</c> is false).</summary>
    public static bool IsEnabled(IConfigurationSection? section) =>
        section?[EnabledKey] is not { } enabled || !bool.TryParse(enabled, out var on) || on;
}
