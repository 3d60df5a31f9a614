using System.Data;
using System.Globalization;
using Dapper;

namespace CctvEdge.Server.Notifications;

/// <summary>
/// The settings table (small server state as text by key): the stages' watermarks, the reports' last days, the MQTT
/// bridge's checkpoints. The same SQL on both engines; a watermark is read as BIGINT, which both cast text to.
/// </summary>
internal static class SettingsTable
{
    /// <summary>The value under <paramref name="key"/>, or null.</summary>
    public static Task<string?> ReadAsync(IDbConnection connection, string key, IDbTransaction? transaction = null) =>
        connection.ExecuteScalarAsync<string?>("SELECT value FROM settings WHERE key = @Key", new { Key = key }, transaction);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>, whether it was there or not.</summary>
    public static Task<int> WriteAsync(IDbConnection connection, IDbTransaction transaction, string key, string value) =>
        connection.ExecuteAsync(
            "INSERT INTO settings (key, value) VALUES (@Key, @Value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            new { Key = key, Value = value },
            transaction);

    /// <summary>The number under <paramref name="key"/> (a watermark), 0 when not set.</summary>
    public static Task<long> ReadNumberAsync(IDbConnection connection, IDbTransaction transaction, string key) =>
        connection.ExecuteScalarAsync<long>($"SELECT COALESCE(({NumberSql("@Key")}), 0)", new { Key = key }, transaction);

    public static Task<int> WriteNumberAsync(IDbConnection connection, IDbTransaction transaction, string key, long value) =>
        WriteAsync(connection, transaction, key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A subquery of the number under the key <paramref name="key"/> (a parameter or a literal); NULL when not set.</summary>
    public static string NumberSql(string key) => $"SELECT CAST(value AS BIGINT) FROM settings WHERE key = {key}";
}
