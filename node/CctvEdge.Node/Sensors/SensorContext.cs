using CctvEdge.Node.Plugins;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Sensors;

/// <summary>The host's side of <see cref="ISensorContext"/> for one sensor.</summary>
internal sealed class SensorContext(
    string pluginId,
    SensorDescriptor sensor,
    IConfiguration settings,
    string settingsPath,
    IResultPublisher results,
    ISensorHardware hardware,
    ILogger logger,
    TimeProvider clock) : ISensorContext
{
    public string PluginId => pluginId;

    public SensorDescriptor Sensor => sensor;

    public IResultPublisher Results => results;

    public ISensorHardware Hardware => hardware;

    public ILogger Logger => logger;

    public TimeProvider Clock => clock;

    public T BindSettings<T>()
        where T : class, new() => SettingsValidation.Bind<T>(settings, settingsPath);
}
