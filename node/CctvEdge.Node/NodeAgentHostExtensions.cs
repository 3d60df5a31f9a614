using CctvEdge.Node.Cameras;
using CctvEdge.Node.Cameras.Push;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Enrolment;
using CctvEdge.Node.Live;
using CctvEdge.Node.Metrics;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Plugins;
using CctvEdge.Node.Recording;
using CctvEdge.Node.Sensors;
using CctvEdge.Node.Sensors.Microcontrollers;
using CctvEdge.Node.Sensors.Simulation;
using CctvEdge.Node.Uplink;
using CctvEdge.Node.Uplink.Policy;
using CctvEdge.Plugins.Sdk;
using CctvEdge.ServiceHosting;
using CctvEdge.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node;

/// <summary>Wires the node agent into a generic host.</summary>
internal static class NodeAgentHostExtensions
{
    /// <summary>
    /// Adds the config file named by <c>--config</c> (JSON), then the node's enrolment (<see cref="EnrolmentFile"/>),
    /// then environment variables and the command line, so any setting can be overridden as <c>Node__Id=barn</c> or
    /// <c>--Node:Id barn</c>.
    /// </summary>
    public static HostApplicationBuilder AddNodeConfigurationFile(this HostApplicationBuilder builder, string? configFile)
    {
        var sources = builder.Configuration.Sources;
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new OptionsValidationException("--config", typeof(NodeOptions), [$"--config: the file '{full}' does not exist."]);
            }

            // Later sources win, so the file goes just before the environment variables and the command line. It is
            // watched: camera and plugin changes in it are applied at run time (LocalConfigReloader).
            var file = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = full, Optional = false, ReloadOnChange = true };
            file.ResolveFileProvider();
            sources.Insert(EnvironmentIndex(sources), file);
        }

        EnrolmentFile.AddTo(builder.Configuration, builder.Configuration, EnvironmentIndex(sources));
        return builder;
    }

    private static int EnvironmentIndex(IList<IConfigurationSource> sources)
    {
        var at = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
        return at < 0 ? sources.Count : at;
    }

    public static HostApplicationBuilder AddNodeAgent(this HostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddNodeConfiguration(builder.Configuration);
        // Whether to listen is known before the host is built; the section itself is bound and validated with the rest,
        // so a bad value here (Port: "abc") is left for that check to report with exit code 2.
        var metrics = new NodeMetricsOptions();
        try
        {
            builder.Configuration.GetSection(NodeMetricsOptions.Section).Bind(metrics);
            NodeMetrics.AddTo(services, metrics, builder.Configuration["Node:Id"] ?? "");
        }
        catch (InvalidOperationException)
        {
        }
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IProcessRunner, ProcessRunner>();
        services.AddSingleton(sp => new PluginCatalog(sp.GetRequiredService<IOptions<NodeOptions>>().Value.PluginShadowDirectory, sp.GetRequiredService<ILogger<PluginCatalog>>()));
        services.AddSingleton<CameraConfiguration>();
        services.AddSingleton<LocalConfigReloader>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalConfigReloader>());
        services.AddSingleton<CentralConfigApplier>();
        services.AddSingleton<CameraOutages>();
        services.AddSingleton(sp =>
        {
            var data = sp.GetRequiredService<IOptions<NodeOptions>>().Value.ResolvedDataDirectory;
            var ffmpeg = sp.GetRequiredService<IOptions<FfmpegOptions>>().Value;
            var processes = sp.GetRequiredService<IProcessRunner>();
            var clock = sp.GetRequiredService<TimeProvider>();
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            var outages = sp.GetRequiredService<CameraOutages>();
            var push = sp.GetRequiredService<PushCameras>();
            return new CameraFleet(
                c =>
                {
                    var worker = new CameraWorker(c, ffmpeg, Path.Combine(data, "cameras", c.Id), processes, clock, loggers.CreateLogger("CctvEdge.Node.Camera." + c.Id));
                    outages.Watch(worker);
                    return worker;
                },
                // A push camera has no ffmpeg running: its pictures come into its inbox.
                (worker, stop) => worker.Camera.Source.Kind == CameraSourceKinds.Push ? push.RunAsync(worker, stop) : worker.RunAsync(stop));
        });
        services.AddSingleton<PushCameras>();
        services.AddHostedService<PushImageEndpoint>();
        services.AddSingleton<PluginHost>();
        services.AddSingleton<ISensorHardware>(sp =>
        {
            var hardware = sp.GetRequiredService<IOptions<HardwareOptions>>().Value;
            return hardware.Simulated
                ? new SimulatedSensorHardware(hardware.SysfsRoot, sp.GetRequiredService<TimeProvider>())
                : new LinuxSensorHardware(hardware.SysfsRoot);
        });
        services.AddSingleton<SensorHost>();
        services.AddSingleton<MicrocontrollerDevices>();
        services.AddHostedService<MicrocontrollerEndpoint>();

        // The outbox: one SQLite file beside the outbox folder of cut clips. Registered first, so it is ready before
        // the runtime or the uplink start.
        services.AddSingleton(sp => new SqliteDatabase(
            Path.Combine(sp.GetRequiredService<IOptions<NodeOptions>>().Value.ResolvedDataDirectory, "outbox.db"),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("CctvEdge.Node.Outbox")));
        services.AddSingleton(sp => new DurableResultOutbox(
            sp.GetRequiredService<SqliteDatabase>(),
            sp.GetRequiredService<IOptions<ServerConnectionOptions>>().Value.MaxPendingResults,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DurableResultOutbox>>()));
        services.AddSingleton<IResultOutbox>(sp => sp.GetRequiredService<DurableResultOutbox>());
        services.AddSingleton<ClipQueue>();
        services.AddSingleton<VideoRetrieval>();
        services.AddHostedService<OutboxStartup>();
        services.AddSingleton<InterruptedEvents>();
        services.AddHostedService(sp => sp.GetRequiredService<InterruptedEvents>());

        services.AddSingleton<NodeRuntime>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeRuntime>());
        services.AddSingleton<ICameraSet>(sp => sp.GetRequiredService<NodeRuntime>());
        services.AddHostedService<RecordingService>();
        services.AddHostedService<DiskGuard>();

        services.AddSingleton<ServerConnection>();
        services.AddSingleton<PluginInstaller>();
        services.AddSingleton<ResultDelivery>();
        services.AddSingleton<UploadStatus>();
        services.AddSingleton<UploadPolicy>();
        services.AddSingleton<UploadGate>();
        services.AddSingleton<NodeStatusCollector>();
        services.AddSingleton<UplinkService>();
        services.AddHostedService(sp => sp.GetRequiredService<UplinkService>());
        services.AddHostedService<ClipUploader>();
        services.AddSingleton<LiveStreamer>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveStreamer>());
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        services.AddSystemdService();
        return builder;
    }
}
