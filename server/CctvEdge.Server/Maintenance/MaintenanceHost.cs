using CctvEdge.Server.Hosting;
using CctvEdge.Server.Storage.Database;

namespace CctvEdge.Server.Maintenance;

/// <summary>
/// The host of a maintenance command (<c>check</c>, <c>enrolment-code</c>): the server's options and stores on the
/// same data directory, migrated, without the listeners. Safe beside a running server (SQLite in WAL mode).
/// </summary>
internal static class MaintenanceHost
{
    public static async Task<IHost> StartAsync(string[] configurationArgs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddServerCommandLine(configurationArgs);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddServerStorage(builder.Configuration);
        var host = builder.Build();
        await host.Services.GetRequiredService<ServerDatabase>().MigrateAsync(CancellationToken.None).ConfigureAwait(false);
        return host;
    }
}
