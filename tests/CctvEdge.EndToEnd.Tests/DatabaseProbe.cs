using Dapper;
using Microsoft.Data.Sqlite;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// Reads a running (or stopped) program's SQLite file directly, for facts the REST API does not expose (an event's id
/// and payload, a node's outbox). Read-only and unpooled, so the test never holds the file.
/// </summary>
internal static class DatabaseProbe
{
    public static async Task<IReadOnlyList<T>> QueryAsync<T>(string path, string sql, object? parameters = null)
    {
        try
        {
            return await QueryOnceAsync<T>(path, sql, parameters);
        }
        catch (SqliteException ex)
        {
            // Busy or not yet created: Eventually retries InvalidOperationException.
            throw new InvalidOperationException($"{path}: {ex.Message}", ex);
        }
    }

    public static async Task<T> ScalarAsync<T>(string path, string sql, object? parameters = null) =>
        (await QueryAsync<T>(path, sql, parameters)).Single();

    private static async Task<IReadOnlyList<T>> QueryOnceAsync<T>(string path, string sql, object? parameters)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 10 }.ToString());
        await connection.OpenAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return (await connection.QueryAsync<T>(sql, parameters).WaitAsync(TimeSpan.FromSeconds(10))).ToList();
    }
}
