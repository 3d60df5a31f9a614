using CctvEdge.Grpc.AspNetCore;
using CctvEdge.Grpc.HealthCheck;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Api;
using CctvEdge.Server.Live;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
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

    public static WebApplicationBuilder AddCctvEdgeServer(this WebApplicationBuilder builder, string[] args)
    {
        // CCTVEDGE_Server__GrpcPort=... and --grpc-port ... on top of appsettings and plain environment variables.
        builder.Configuration.AddEnvironmentVariables("CCTVEDGE_");
        builder.Configuration.AddCommandLine(args, SwitchMappings);
        var services = builder.Services;
        services.AddOptions<ServerOptions>()
            .Configure(o => BindStrict(builder.Configuration.GetSection(ServerOptions.Section), o))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();

        var endpoints = new ServerEndpoints();
        services.AddSingleton(endpoints);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var options = kestrel.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value;
            // gRPC transport (issue 3): HTTP/2 only, TLS when Server:Tls:Enabled (certificate file or generated CA).
            kestrel.Listen(options.ResolvedBindAddress, options.GrpcPort, listen =>
            {
                listen.UseGrpcTransport(options.Tls, options.TlsDirectory);
                endpoints.Grpc = listen;
                endpoints.GrpcTls = options.Tls.Enabled;
            });
            kestrel.Listen(options.ResolvedBindAddress, options.WebPort, listen =>
            {
                // Browsers speak HTTP/2 only over TLS; on cleartext the web port is HTTP/1.1.
                listen.Protocols = HttpProtocols.Http1;
                endpoints.Web = listen;
            });
            // Keepalive pings notice dead nodes (a 4G link that vanished); windows sized for uploads (Server:Http2).
            kestrel.ConfigureGrpcHttp2(options.Http2);
        });
        // Serves _content/* (Radzen, our CSS) from the build output too, not only after a publish.
        builder.WebHost.UseStaticWebAssets();

        services.AddSingleton(TimeProvider.System);
        // Keys for antiforgery and (later) sign-in cookies live with the server's data, so they survive restarts and moves.
        services.AddDataProtection().SetApplicationName("CctvEdge").PersistKeysToFileSystem(new DirectoryInfo(
            Path.Combine(Path.GetFullPath(builder.Configuration[$"{ServerOptions.Section}:DataDirectory"] ?? new ServerOptions().DataDirectory), "keys")));
        services.AddSingleton(sp => new Database(
            Path.Combine(sp.GetRequiredService<IOptions<ServerOptions>>().Value.ResolvedDataDirectory, "cctvedge.db"),
            sp.GetRequiredService<ILogger<Database>>()));
        services.AddSingleton(sp => new MediaStore(sp.GetRequiredService<IOptions<ServerOptions>>().Value.ResolvedDataDirectory));
        services.AddSingleton<NodeStore>();
        services.AddSingleton<EventStore>();
        services.AddSingleton<ResultIngestor>();
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<ILiveUpdates>(sp => sp.GetRequiredService<ChangeFeed>());
        services.AddSingleton<IOverviewQuery, OverviewQuery>();
        services.AddSingleton<NodeSessionService>();
        services.AddHostedService<StorageStartup>();
        services.AddGrpcTransport();
        services.AddGrpcHealthChecks();
        services.AddCctvEdgeWeb();
        return builder;
    }

    public static WebApplication MapCctvEdgeServer(this WebApplication app)
    {
        app.UseStaticFiles();
        app.UseAntiforgery();
        app.MapGrpcService(NodeService.BindService(app.Services.GetRequiredService<NodeSessionService>()));
        app.MapGrpcHealthChecksService();
        app.MapServerApi();
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

    private static void BindStrict(IConfigurationSection section, ServerOptions options)
    {
        try
        {
            section.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException(ServerOptions.Section, typeof(ServerOptions), [$"{ServerOptions.Section}: {ex.Message}"]);
        }
    }
}

/// <summary>Prepares storage before Kestrel accepts anything: schema, directories, and no stale "connected" flags.</summary>
internal sealed class StorageStartup(Database database, NodeStore nodes, MediaStore media) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(media.Root);
        await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await nodes.ResetConnectionsAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
