using CctvEdge.Server.Storage.Database;
using CctvEdge.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>A server's database, whichever engine holds it, for tests that read, write or seed rows directly.</summary>
internal static class ServerData
{
    public static ServerDatabase Database(this InProcessServer server) => server.Services.GetRequiredService<ServerDatabase>();

    /// <summary>A seeder writing into the server's database (after the server created the schema); committed when disposed.</summary>
    public static Task<DataSeeder> SeedAsync(this InProcessServer server) => server.Database().SeedAsync();

    /// <summary>A seeder writing into <paramref name="database"/>; committed when disposed.</summary>
    public static async Task<DataSeeder> SeedAsync(this ServerDatabase database) =>
        await DataSeeder.OpenAsync(await database.OpenAsync(CancellationToken.None));

    /// <summary>Runs one statement through the write gate; returns the rows it changed.</summary>
    public static Task<int> ExecuteAsync(this ServerDatabase database, string sql, object? values = null) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(sql, values, transaction), CancellationToken.None);
}
