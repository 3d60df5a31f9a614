using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Plugins;

/// <summary>The host's side of <see cref="IPluginContext"/> for one plugin instance and one version of its settings.</summary>
internal sealed class PluginContext(
    string pluginId,
    CameraDescriptor camera,
    PluginAssignment assignment,
    IResultPublisher results,
    ISnapshotSource snapshots,
    IClipRecorder clips,
    ILogger logger,
    TimeProvider clock) : IPluginContext
{
    private readonly IConfiguration _settings = assignment.ToConfiguration();

    public string PluginId => pluginId;

    public CameraDescriptor Camera => camera;

    public IResultPublisher Results => results;

    public ISnapshotSource Snapshots => snapshots;

    public IClipRecorder Clips => clips;

    public ILogger Logger => logger;

    public TimeProvider Clock => clock;

    public T BindSettings<T>()
        where T : class, new() => SettingsValidation.Bind<T>(_settings, assignment.SettingsPath);
}
