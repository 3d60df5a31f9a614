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

    /// <summary>
    /// Everything the database holds, as text, for tests that a secret is not in it: on SQLite the bytes of its files
    /// (free pages and the WAL too, where deleted rows linger); on PostgreSQL every table's name and rows.
    /// </summary>
    public static async Task<string> EverythingAsync(this InProcessServer server)
    {
        var database = server.Database();
        if (database is SqliteServerDatabase sqlite)
        {
            return string.Concat(Directory.GetFiles(Path.GetDirectoryName(sqlite.Location)!, Path.GetFileName(sqlite.Location) + "*").Select(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
                return reader.ReadToEnd();
            }));
        }

        await using var connection = await database.OpenAsync(CancellationToken.None);
        var text = new System.Text.StringBuilder();
        foreach (var table in await connection.QueryAsync<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"))
        {
            text.AppendLine(table);
            foreach (var row in await connection.QueryAsync<string>($"SELECT CAST(t AS TEXT) FROM \"{table}\" t"))
            {
                text.AppendLine(row);
            }
        }

        return text.ToString();
    }

    /// <summary>Runs one statement through the write gate; returns the rows it changed.</summary>
    public static Task<int> ExecuteAsync(this ServerDatabase database, string sql, object? values = null) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(sql, values, transaction), CancellationToken.None);
}
