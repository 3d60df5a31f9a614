using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CctvEdge.Node.Plugins;

/// <summary>
/// Follows the node's config file (loaded with reloadOnChange): when it changes, the cameras' plugin assignments are
/// read again and checked as at start. A config that fails the checks changes nothing and is logged with the keys at
/// fault. Only plugins (enable, disable, settings) change at run time; other camera changes need a restart.
/// <see cref="IOptionsMonitor{TOptions}"/> is not used on purpose: it validates inside the reload callback, where a
/// bad edit would throw on a file-watcher thread instead of being reported and skipped.
/// </summary>
internal sealed partial class PluginConfigReloader : IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly NodeConfigurationValidator _validator;
    private readonly ILogger<PluginConfigReloader> _logger;
    private readonly IDisposable _subscription;
    private readonly HashSet<string> _cameraIds;

    public PluginConfigReloader(IConfiguration configuration, IOptions<CamerasOptions> cameras, NodeConfigurationValidator validator, ILogger<PluginConfigReloader> logger)
    {
        _configuration = configuration;
        _validator = validator;
        _logger = logger;
        _cameraIds = cameras.Value.Items.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        Current = PluginAssignment.ForCameras(cameras.Value.Items);
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    /// <summary>The plugins assigned to each camera id, as last read from a valid config.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PluginAssignment>> Current { get; private set; }

    /// <summary>Raised after <see cref="Current"/> changed.</summary>
    public event Action? Changed;

    public void Dispose() => _subscription.Dispose();

    /// <summary>Reads the config again; internal so tests can call it without waiting for a file watcher.</summary>
    internal void Reload()
    {
        try
        {
            var cameras = NodeConfiguration.ReadCameras(_configuration);
            var result = _validator.Validate(null, cameras);
            if (result.Failed)
            {
                LogRefused(_logger, string.Join(" ", result.Failures));
                return;
            }

            if (!cameras.Items.Select(c => c.Id).ToHashSet(StringComparer.Ordinal).SetEquals(_cameraIds))
            {
                LogCamerasNeedRestart(_logger);
            }

            var next = PluginAssignment.ForCameras(cameras.Items.Where(c => _cameraIds.Contains(c.Id)));
            if (!Same(next, Current))
            {
                Current = next;
                LogApplied(_logger);
                Changed?.Invoke();
            }
        }
        catch (OptionsValidationException ex)
        {
            LogRefused(_logger, string.Join(" ", ex.Failures));
        }
    }

    private static bool Same(IReadOnlyDictionary<string, IReadOnlyList<PluginAssignment>> a, IReadOnlyDictionary<string, IReadOnlyList<PluginAssignment>> b) =>
        a.Count == b.Count && a.All(camera => b.TryGetValue(camera.Key, out var other)
            && camera.Value.Count == other.Count
            && camera.Value.All(x => other.Any(y => y.PluginId == x.PluginId && y.Enabled == x.Enabled && y.SameSettings(x))));

    [LoggerMessage(EventId = 40, Level = LogLevel.Error, Message = "The changed config was not applied; the node keeps running with the previous one: {Problems}")]
    private static partial void LogRefused(ILogger logger, string problems);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "The changed config adds or removes cameras; that takes a restart of the node. Plugin changes of the existing cameras are applied.")]
    private static partial void LogCamerasNeedRestart(ILogger logger);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "The changed config's plugin assignments are being applied.")]
    private static partial void LogApplied(ILogger logger);
}
