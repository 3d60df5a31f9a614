using CctvEdge.Node.Outbox;
using CctvEdge.Node.Plugins;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Plugins.Sdk;
using CctvEdge.Protocol.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Sensors;

/// <summary>
/// One sensor read by its plugin, on the lifecycle every plugin instance shares (<see cref="PluginRunner{TPlugin}"/>):
/// a start with a time limit, reads one at a time through the call guard at the interval the plugin asked for, a
/// sensor that keeps failing (its device went away) switched off and reported in heartbeats while the node runs on,
/// and a drained, time-limited stop.
/// </summary>
internal sealed partial class SensorInstance : IAsyncDisposable
{
    private static readonly TimeSpan ShortestInterval = TimeSpan.FromMilliseconds(1);
    private static readonly IConfiguration NoSettings = new ConfigurationBuilder().Build();

    private readonly SensorOptions _options;
    private readonly InstalledPlugin? _plugin;
    private readonly PluginRunner<ISensorPlugin> _runner;
    private readonly SensorResultPublisher _publisher;
    private readonly Func<SensorContext> _createContext;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    // Ends the read loop as the stop begins: unlike a queue there is nothing to drain, so the runner's drain time (5 s a
    // sensor) would only hold up the node's stop.
    private readonly CancellationTokenSource _reads = new();

    public SensorInstance(SensorOptions options, InstalledPlugin? plugin, IResultOutbox outbox, ISensorHardware hardware, CallLimits limits, TimeProvider clock, ILoggerFactory loggers)
    {
        _options = options;
        _plugin = plugin;
        _clock = clock;
        PluginId = options.Plugin.ToLowerInvariant();
        _logger = loggers.CreateLogger($"Sensor.{PluginId}.{options.Id}");
        _runner = new PluginRunner<ISensorPlugin>($"Sensor {options.Id} ({PluginId})", "the sensor stops reading and a node restart reclaims the thread.", limits, _logger,
            metricTags: [new("plugin", PluginId), new("sensor", options.Id)]);
        _publisher = new SensorResultPublisher(options.Id, options.Camera, PluginId, outbox, clock);
        var descriptor = new SensorDescriptor(options.Id, options.DisplayName, options.Camera.Length > 0 ? options.Camera : null);
        var settingsPath = $"{options.Path}:Settings";
        // Already a copy of the file's section (NodeConfiguration detaches it), so a reload cannot change it under the sensor.
        IConfiguration settings = options.Settings ?? NoSettings;
        _createContext = () => new SensorContext(PluginId, descriptor, settings, settingsPath, _publisher, hardware, _logger, clock);
    }

    public string Id => _options.Id;

    public string PluginId { get; }

    public InstanceState State => _runner.State;

    public string Error => _runner.Error;

    /// <summary>The latest exception of a read that did not stop the sensor.</summary>
    public string Warning => _runner.Warning;

    public DateTimeOffset? LastReadingAt => _publisher.LastReadingAt;

    /// <summary>Starts the plugin and its read loop; a sensor that cannot start is failed and reported, never fatal.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_plugin is not { IsLoaded: true } plugin)
        {
            _runner.Fail(_plugin is null ? $"plugin '{PluginId}' is not installed in the plugins directory." : $"plugin '{PluginId}' failed to load: {_plugin.Error}");
            return;
        }

        SensorSubscription? subscription = null;
        var started = await _runner.StartAsync(
                async stop =>
                {
                    var instance = plugin.CreateSensor();
                    subscription = await instance.StartAsync(_createContext(), stop).ConfigureAwait(false);
                    return instance;
                },
                cancellationToken,
                ex => ex is PluginSettingsException ? $"invalid settings: {ex.Message}" : null)
            .ConfigureAwait(false);
        if (!started)
        {
            return;
        }

        var interval = subscription?.Interval > ShortestInterval ? subscription.Interval : ShortestInterval;
        _runner.Run();
        _runner.AddLoop(async stop =>
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(stop, _reads.Token);
            try
            {
                await ReadLoopAsync(interval, either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_reads.IsCancellationRequested)
            {
            }
        });
        LogStarted(_logger, _options.Id, PluginId, _options.Kind, interval.TotalMilliseconds);
    }

    /// <summary>What hello and heartbeats say of the sensor.</summary>
    public SensorInfo ToInfo()
    {
        var info = new SensorInfo
        {
            Id = _options.Id,
            Name = _options.DisplayName,
            PluginId = PluginId,
            CameraId = _options.Camera,
            Kind = _options.Kind,
            State = State switch
            {
                InstanceState.Running => PluginState.Running,
                InstanceState.Disabled => PluginState.Disabled,
                InstanceState.Failed => PluginState.Failed,
                _ => PluginState.Unspecified,
            },
            Error = State == InstanceState.Failed ? Error : Warning,
        };
        if (LastReadingAt is { } last)
        {
            info.LastReadAt = Timestamp.FromDateTimeOffset(last);
        }

        return info;
    }

    public async ValueTask DisposeAsync()
    {
        await _reads.CancelAsync().ConfigureAwait(false);
        await _runner.DisposeAsync().ConfigureAwait(false);
        _reads.Dispose();
    }

    private async Task ReadLoopAsync(TimeSpan interval, CancellationToken stop)
    {
        // A periodic timer does not queue missed ticks: a slow read delays the next one instead of piling calls up.
        using var timer = new PeriodicTimer(interval, _clock);
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false) && State == InstanceState.Running && _runner.Plugin is { } plugin)
        {
            await _runner.CallAsync(nameof(ISensorPlugin.ReadAsync), () => plugin.ReadAsync(_clock.GetUtcNow(), stop), stop).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 340, Level = LogLevel.Information, Message = "Sensor {SensorId} ({PluginId}, {Kind}) reading every {Milliseconds:0.#} ms.")]
    private static partial void LogStarted(ILogger logger, string sensorId, string pluginId, string kind, double milliseconds);
}
