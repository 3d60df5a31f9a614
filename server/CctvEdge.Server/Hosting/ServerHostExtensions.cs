using CctvEdge.Server.Accounts;
using CctvEdge.Server.Api;
using CctvEdge.Server.Audit;
using CctvEdge.Server.Export;
using CctvEdge.Server.Hosting.Grpc;
using CctvEdge.Server.Live;
using CctvEdge.Server.Maps;
using CctvEdge.Server.Metrics;
using CctvEdge.Server.Notifications;
using CctvEdge.Server.Notifications.Channels;
using CctvEdge.Server.Notifications.Mqtt;
using CctvEdge.Server.Notifications.Offline;
using CctvEdge.Server.Notifications.Reports;
using CctvEdge.Server.Notifications.Rules;
using CctvEdge.Server.Notifications.Sending;
using CctvEdge.Server.Notifications.Sensors;
using CctvEdge.Server.Notifications.Trends;
using CctvEdge.Server.Processors;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Objects;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Server.Timelapse;
using CctvEdge.ServiceHosting;
using CctvEdge.Storage;
using CctvEdge.Web;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Hosting;

/// <summary>Wires the server: configuration, Kestrel's two ports, storage, the gRPC service and the web app.</summary>
internal static class ServerHostExtensions
{
    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--grpc-port"] = "Server:GrpcPort",
        ["--web-port"] = "Server:WebPort",
        ["--data"] = "Server:DataDirectory",
        ["--bind"] = "Server:BindAddress",
    };

    /// <summary>CCTVEDGE_Server__GrpcPort=... and --grpc-port ... on top of appsettings and plain environment variables.</summary>
    public static IConfigurationBuilder AddServerCommandLine(this IConfigurationBuilder configuration, string[] args) =>
        configuration.AddEnvironmentVariables("CCTVEDGE_").AddCommandLine(args, SwitchMappings);

    /// <summary>Options, the database and the stores: what the server and its maintenance commands share.</summary>
    public static IServiceCollection AddServerStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ServerOptions>()
            .Configure(o => BindStrict(configuration.GetSection(ServerOptions.Section), o, ServerOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        services.AddOptions<RetentionOptions>()
            .Configure(o => BindStrict(configuration.GetSection(RetentionOptions.Section), o, RetentionOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        services.AddOptions<SensorOptions>()
            .Configure(o => BindStrict(configuration.GetSection(SensorOptions.Section), o, SensorOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SensorOptions>, SensorOptionsValidator>();
        services.AddOptions<NotificationOptions>()
            .Configure(o => BindStrict(configuration.GetSection(NotificationOptions.Section), o, NotificationOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();
        services.AddOptions<MetricsOptions>()
            .Configure(o => BindStrict(configuration.GetSection(MetricsOptions.Section), o, MetricsOptions.Section))
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        // Which replica runs the periodic jobs; before them, so a SQLite server leads before their first pass.
        services.AddSingleton<Leadership>();
        services.AddHostedService<LeadershipService>();
        services.AddSingleton(OpenServerDatabase);
        services.AddSingleton(sp => new MediaStore(sp.GetRequiredService<IOptions<ServerOptions>>().Value.ResolvedDataDirectory));
        services.AddSingleton<NodeStore>();
        services.AddSingleton<NodeConfigStore>();
        services.AddSingleton<EventStore>();
        services.AddClipObjectStore(configuration);
        services.AddSingleton<ClipStore>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<CameraGroupStore>();
        services.AddSingleton<SiteMapStore>();
        services.AddSingleton<EnrolmentStore>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<PluginPackageStore>();
        services.AddSingleton<RetrievalStore>();
        services.AddSingleton<EventQueries>();
        services.AddSingleton<OutageQueries>();
        services.AddSingleton<ClipQueries>();
        services.AddSingleton<ReviewStore>();
        services.AddSingleton<SensorQueries>();
        services.AddSingleton<SensorThresholdStore>();
        services.AddSingleton<SensorEventStore>();
        services.AddSingleton<ServerDisks>();
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<ChannelStore>();
        services.AddSingleton<RuleStore>();
        services.AddSingleton<ChannelSecrets>();
        services.AddHttpClient(nameof(WebhookSender), client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient(nameof(TelegramSender), client => client.Timeout = TimeSpan.FromSeconds(60));
        services.AddSingleton<INotificationSender, WebhookSender>();
        services.AddSingleton<INotificationSender, TelegramSender>();
        services.AddSingleton<INotificationSender, EmailSender>();
        services.AddSingleton<MqttConnections>();
        services.AddSingleton<INotificationSender, MqttSender>();
        services.AddSingleton<MqttCheckpoints>();
        services.AddSingleton<MqttFleet>();
        services.AddHostedService<MqttBridge>();
        services.AddSingleton<DeliveryDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryDispatcher>());
        services.AddHostedService<TelegramCallbacks>();
        services.AddSingleton<OfflineEventStore>();
        services.AddSingleton<DayOverDayStore>();
        services.AddHostedService<DayOverDayWatcher>();
        services.AddHostedService<OfflineWatcher>();
        services.AddSingleton<DailyReportQuery>();
        services.AddSingleton<DailyReportService>();
        services.AddHostedService(sp => sp.GetRequiredService<DailyReportService>());
        return services;
    }

    public static WebApplicationBuilder AddCctvEdgeServer(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddServerCommandLine(args);
        var services = builder.Services;
        services.AddSystemdService();

        var endpoints = new ServerEndpoints();
        services.AddSingleton(endpoints);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            ServerOptions options;
            try
            {
                options = kestrel.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value;
            }
            catch (OptionsValidationException)
            {
                // Reported with every other invalid key by StartupCheck, before anything would listen.
                return;
            }

            // gRPC transport (issue 3): HTTP/2 only, TLS when Server:Tls:Enabled (certificate file or generated CA).
            kestrel.Listen(options.ResolvedBindAddress, options.GrpcPort, listen =>
            {
                listen.UseGrpcTransport(options.Tls, options.TlsDirectory, options.WebTls.Hostnames);
                endpoints.Grpc = listen;
                endpoints.GrpcTls = options.Tls.Enabled;
            });
            kestrel.Listen(options.ResolvedBindAddress, options.WebPort, listen =>
            {
                // Browsers speak HTTP/2 only over TLS; on cleartext the web port is HTTP/1.1.
                listen.Protocols = options.WebTls.Enabled ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                if (options.WebTls.Enabled)
                {
                    listen.UseHttps(ServerCertificates.Load(options.WebTls, options.TlsDirectory, options.Tls.Hostnames));
                }

                endpoints.Web = listen;
                endpoints.WebTls = options.WebTls.Enabled;
            });
            // Keepalive pings notice dead nodes (a 4G link that vanished); windows sized for uploads (Server:Http2).
            kestrel.ConfigureGrpcHttp2(options.Http2);
        });
        // MapStaticAssets (MapCctvEdgeWeb) finds its files through the web root. After a publish they are in wwwroot;
        // a build leaves them where they came from (the SDK's framework assets, Radzen's package, web/wwwroot) and
        // only this maps them, which ASP.NET Core does by itself in Development only. Without a runtime manifest
        // (a publish) it does nothing.
        builder.WebHost.UseStaticWebAssets();

        // Before the hosted services AddServerStorage registers: the host starts them in order, so none runs a pass against
        // a database whose schema is not there yet (a fresh install used to log failed first passes).
        services.AddHostedService<StorageStartup>();
        // Keys for antiforgery and sign-in cookies (and channel secrets) live in the server database, so they survive
        // restarts and moves and every replica shares them; the keys folder earlier versions kept is imported once.
        // After StorageStartup: Data Protection's own hosted service reads the key ring as it starts. The application
        // name stays "CctvEdge": it is part of every protector's purpose, so changing it would void what is stored.
        services.AddDataProtection().SetApplicationName("CctvEdge").PersistKeysToServerDatabase(
            Path.Combine(Path.GetFullPath(builder.Configuration[$"{ServerOptions.Section}:DataDirectory"] ?? new ServerOptions().DataDirectory), "keys"));
        services.AddServerStorage(builder.Configuration);
        services.AddHostedService<RetentionService>();
        services.AddTimelapse(builder.Configuration);
        services.AddSingleton<ResultIngestor>();
        services.AddSingleton<IngestQueue>();
        services.AddServerProcessors(builder.Configuration);
        services.AddSingleton<NodeAuthenticator>();
        services.AddSingleton<NodeEnrolment>();
        services.AddSingleton<PluginRollouts>();
        services.AddSingleton<VideoRetrievals>();
        services.AddSingleton<ClipUploadService>();
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<ConfigSync>();
        services.AddSingleton<CommandReplies>();
        services.AddSingleton<ConfigChanges>();
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<LiveHub>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveHub>());
        services.AddSingleton<ILiveUpdates>(sp => sp.GetRequiredService<ChangeFeed>());
        services.AddSingleton<IOverviewQuery, OverviewQuery>();
        services.AddWebAuthentication();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<IAccountService, AccountService>();
        services.AddScoped<CurrentUser>();
        services.AddScoped<IUserAdmin, UserAdmin>();
        services.AddScoped<IFleetAdmin, FleetAdmin>();
        services.AddScoped<ITokenAdmin, TokenAdmin>();
        services.AddScoped<INodeConfigAdmin, NodeConfigAdmin>();
        services.AddSingleton<IReviewQuery, ReviewQuery>();
        services.AddSingleton<IVideoRetrievals, RetrievalPages>();
        services.AddScoped<IReviewActions, ReviewActions>();
        services.AddSingleton<INotificationQuery, NotificationQuery>();
        services.AddSingleton<IStorageQuery, StorageQuery>();
        services.AddSingleton<ISiteQuery, SiteQuery>();
        services.AddSingleton<ISensorQuery, SensorQuery>();
        services.AddScoped<ISensorThresholds, SensorThresholdAdmin>();
        services.AddSingleton<SensorThresholdWatcher>();
        services.AddSingleton<IIngestListener>(sp => sp.GetRequiredService<SensorThresholdWatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<SensorThresholdWatcher>());
        services.AddSingleton<ILiveGrid, LiveGrid>();
        services.AddScoped<ICameraGroups, CameraGroupAdmin>();
        services.AddSingleton<SiteMapReader>();
        services.AddScoped<ISiteMaps, SiteMapAdmin>();
        services.AddScoped<INotificationAdmin, NotificationAdmin>();
        services.AddSingleton<ExportClips>();
        services.AddSingleton<FolderExports>();
        services.AddScoped<IExportService, ExportService>();
        services.AddHostedService<NotificationStage>();
        services.AddSingleton<NodeSessionService>();
        services.AddNodeGrpc();
        services.AddApiDocs();
        services.AddServerMetrics();
        services.AddReverseProxySupport(builder.Configuration);
        services.AddCctvEdgeWeb();
        return builder;
    }

    public static WebApplication MapCctvEdgeServer(this WebApplication app)
    {
        // Before the audit log and sign-in: both record the client's address, which a known proxy tells.
        app.UseReverseProxySupport();
        // Outside authentication and authorization, so calls they refuse are logged too (with the user they found).
        app.UseAuditLog();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapNodeGrpc();
        app.MapAuthApi();
        app.MapTokenApi();
        app.MapServerApi();
        app.MapApiDocs();
        app.MapPluginApi();
        app.MapCameraConfigApi();
        app.MapEnrolmentApi();
        app.MapServerMetrics();
        app.MapAuditApi();
        app.MapPluginRolloutApi();
        app.MapFleetApi();
        app.MapProcessorApi();
        app.MapZipExport();
        app.MapLiveStream();
        app.MapMjpeg();
        app.MapCameraGroupApi();
        app.MapSiteMapApi();
        app.MapNotificationChannelApi();
        app.MapNotificationRuleApi();
        app.MapSensorApi();
        app.MapDeviceOutputsApi();
        app.MapRetrievalApi();
        app.MapTimelapseApi();
        app.MapCctvEdgeWeb();
        app.Lifetime.ApplicationStarted.Register(() => AnnounceReady(app));
        return app;
    }

    /// <summary>One line on stdout with the real addresses: for people, scripts and tests (ports may be 0 in config).</summary>
    private static void AnnounceReady(WebApplication app)
    {
        var endpoints = app.Services.GetRequiredService<ServerEndpoints>();
        var options = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        Console.WriteLine($"CctvEdge server ready: web {endpoints.WebAddress}/ grpc {endpoints.GrpcAddress} data {options.ResolvedDataDirectory}");
    }

    /// <summary>
    /// <c>Server:Database</c>: the SQLite file in the data directory (the default) or PostgreSQL at
    /// <c>Server:ConnectionString</c>. The options validator has refused any other value before this runs.
    /// </summary>
    private static ServerDatabase OpenServerDatabase(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("CctvEdge.Server.Storage.Database");
        return options.Database == DatabaseChoice.Postgres
            ? new PostgresServerDatabase(options.ConnectionString, logger)
            : new SqliteServerDatabase(new SqliteDatabase(Path.Combine(options.ResolvedDataDirectory, "cctvedge.db"), logger));
    }

    /// <summary>Binds with unknown keys as errors, reported like any other validation failure with the section's name.</summary>
    internal static void BindStrict<T>(IConfigurationSection section, T options, string name)
        where T : class
    {
        try
        {
            section.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException(name, typeof(T), [$"{name}: {ex.Message}"]);
        }
    }
}

/// <summary>
/// Prepares storage before Kestrel accepts anything: schema, directories, no stale "connected" flags, and no clip
/// files left over from a crash between writing a clip and recording it.
/// </summary>
internal sealed partial class StorageStartup(ServerDatabase database, NodeStore nodes, MediaStore media, ClipStore clips, ILogger<StorageStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(media.Root);
        await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await nodes.ResetConnectionsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var removed in await clips.SweepOrphansAsync(cancellationToken).ConfigureAwait(false))
        {
            LogOrphanRemoved(logger, removed);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "Removed orphan clip file or object {Path} (no stored clip names it; its node uploads it again).")]
    private static partial void LogOrphanRemoved(ILogger logger, string path);
}
