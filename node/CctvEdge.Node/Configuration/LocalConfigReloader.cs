using CctvEdge.Node.Cameras;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CctvEdge.Node.Configuration;

/// <summary>
/// Follows the node's config file (loaded with reloadOnChange): when it changes, its <c>Cameras</c> section is read
/// again and checked as at start, and the node applies it live (cameras added, changed or removed; plugins enabled,
/// disabled or given new settings). A config that fails the checks changes nothing and is logged with the keys at
/// fault. Once the fleet hub has pushed a configuration, the hub's version outranks the file, whose camera edits are
/// then logged and left alone.
/// <see cref="IOptionsMonitor{TOptions}"/> is not used on purpose: it validates inside the reload callback, where a
/// bad edit would throw on a file-watcher thread instead of being reported and skipped.
/// </summary>
internal sealed partial class LocalConfigReloader : IHostedService, IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly CameraConfiguration _cameras;
    private readonly NodeConfigurationValidator _validator;
    private readonly ILogger<LocalConfigReloader> _logger;
    private readonly IDisposable _subscription;

    public LocalConfigReloader(IConfiguration configuration, CameraConfiguration cameras, NodeConfigurationValidator validator, ILogger<LocalConfigReloader> logger)
    {
        _configuration = configuration;
        _cameras = cameras;
        _validator = validator;
        _logger = logger;
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    // Hosted only so that it lives as long as the host: it follows the file from construction on.
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _subscription.Dispose();

    /// <summary>Reads the config again; internal so tests can call it without waiting for a file watcher.</summary>
    internal void Reload()
    {
        try
        {
            var cameras = NodeConfiguration.ReadCameras(_configuration);
            if (cameras.Json == _cameras.Current.Json && _cameras.Version == 0)
            {
                return;
            }

            var result = _validator.Validate(null, cameras);
            if (result.Failed)
            {
                LogRefused(_logger, string.Join(" ", result.Failures));
                return;
            }

            if (_cameras.Version > 0)
            {
                LogHubInForce(_logger, _cameras.Version, CentralConfigFile.FileName);
                return;
            }

            LogApplied(_logger);
            _cameras.Replace(cameras);
        }
        catch (OptionsValidationException ex)
        {
            LogRefused(_logger, string.Join(" ", ex.Failures));
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Error, Message = "The changed config was not applied; the node keeps running with the previous one: {Problems}")]
    private static partial void LogRefused(ILogger logger, string problems);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "The config file's cameras changed, but the fleet hub's configuration version {Version} is in force and outranks the file; change the cameras on the server, or delete {File} in the data directory and restart to go back to the file.")]
    private static partial void LogHubInForce(ILogger logger, ulong version, string file);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "The changed config's cameras are being applied.")]
    private static partial void LogApplied(ILogger logger);
}
