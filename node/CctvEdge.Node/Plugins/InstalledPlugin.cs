using CctvEdge.Plugins.Hosting;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Plugins;

/// <summary>A plugin folder after loading: either ready to create instances, or failed with a reason.</summary>
internal sealed class InstalledPlugin(PluginLoad load, string settingsSchema)
{
    public PluginLoad Load => load;

    public string Id => load.Id;

    public string Folder => load.Folder;

    public PluginManifest? Manifest => load.Manifest;

    public string Version => Manifest?.Version ?? "";

    public string Description => Manifest?.Description ?? "";

    /// <summary>Null when the plugin loaded; otherwise why it did not.</summary>
    public string? Error => load.Error;

    public bool IsLoaded => load.IsLoaded;

    /// <summary>The JSON Schema of the settings the plugin declares (<see cref="PluginSettingsAttribute"/>), or "".</summary>
    public string SettingsSchema => settingsSchema;

    public static InstalledPlugin From(PluginLoad load) =>
        new(load, load.EntryType is { } type ? Plugins.SettingsSchema.For(type) : "");

    /// <summary>True when the entry type reads a node sensor (configured under Sensors) rather than a camera.</summary>
    public bool IsSensor => load.EntryType is { } type && typeof(ISensorPlugin).IsAssignableFrom(type);

    /// <summary>A fresh instance for one camera.</summary>
    public ICameraPlugin CreateInstance() =>
        load.CreateInstance() as ICameraPlugin ?? throw new InvalidOperationException($"plugin '{Id}' reads sensors: configure it under Sensors, not on a camera.");

    /// <summary>A fresh instance for one sensor.</summary>
    public ISensorPlugin CreateSensor() =>
        load.CreateInstance() as ISensorPlugin ?? throw new InvalidOperationException($"plugin '{Id}' is a camera plugin: configure it on a camera, not under Sensors.");
}
