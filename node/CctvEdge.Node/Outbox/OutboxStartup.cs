using CctvEdge.Node.Configuration;
using CctvEdge.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Outbox;

/// <summary>Creates or upgrades the outbox database and starts its writer before anything can publish.</summary>
internal sealed class OutboxStartup(SqliteDatabase database, DurableResultOutbox outbox, IOptions<NodeOptions> node) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(typeof(OutboxStartup).Assembly, "CctvEdge.Node.Outbox.Schema.", cancellationToken).ConfigureAwait(false);
        await outbox.StartAsync(Path.Combine(node.Value.ResolvedDataDirectory, "state", "sequence"), cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => outbox.StopAsync();
}
