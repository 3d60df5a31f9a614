using CctvEdge.Server.Storage.Database;
using CctvEdge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>A running server's database, whichever engine holds it, for tests that read or seed rows directly.</summary>
internal static class ServerData
{
    public static ServerDatabase Database(this InProcessServer server) => server.Services.GetRequiredService<ServerDatabase>();

    /// <summary>A seeder writing into the server's database (after the server created the schema); committed when disposed.</summary>
    public static async Task<DataSeeder> SeedAsync(this InProcessServer server) =>
        await DataSeeder.OpenAsync(await server.Database().OpenAsync(CancellationToken.None));
}
