using System.Text.Json;
using CctvEdge.Server.Storage.Database;
using Dapper;

namespace CctvEdge.Server.Notifications.Mqtt;

/// <summary>
/// What the MQTT bridge must remember across restarts, in the settings table: per channel, the retained topics it has
/// put on the broker (so a camera, node or series that is gone, even while the server was down, gets its topics
/// cleared), and how far it has read the measurements with each series' latest value (so a restart resumes there).
/// </summary>
internal sealed class MqttCheckpoints(ServerDatabase database)
{
    private const string ReadingsKey = "mqtt.readings";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<HashSet<string>> LoadTopicsAsync(long channelId, CancellationToken cancellationToken) =>
        await LoadAsync<HashSet<string>>(TopicsKey(channelId), cancellationToken).ConfigureAwait(false) is { } topics
            ? new HashSet<string>(topics, StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    public Task SaveTopicsAsync(long channelId, IReadOnlySet<string> topics, CancellationToken cancellationToken) =>
        SaveAsync(TopicsKey(channelId), topics.Order(StringComparer.Ordinal).ToList(), cancellationToken);

    /// <summary>Forgets a deleted channel's topics: its broker is no longer ours to tidy.</summary>
    public Task ForgetTopicsAsync(long channelId, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync("DELETE FROM settings WHERE key = @Key", new { Key = TopicsKey(channelId) }, transaction),
            cancellationToken);

    public Task<ReadingsCheckpoint?> LoadReadingsAsync(CancellationToken cancellationToken) => LoadAsync<ReadingsCheckpoint>(ReadingsKey, cancellationToken);

    public Task SaveReadingsAsync(ReadingsCheckpoint checkpoint, CancellationToken cancellationToken) => SaveAsync(ReadingsKey, checkpoint, cancellationToken);

    private static string TopicsKey(long channelId) => $"mqtt.{channelId}.topics";

    private async Task<T?> LoadAsync<T>(string key, CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var json = await SettingsTable.ReadAsync(connection, key).ConfigureAwait(false);
        try
        {
            return json is null ? null : JsonSerializer.Deserialize<T>(json, Json);
        }
        catch (JsonException)
        {
            // A damaged checkpoint costs a re-read, never a bridge that cannot start.
            return null;
        }
    }

    private Task SaveAsync<T>(string key, T value, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => SettingsTable.WriteAsync(connection, transaction, key, JsonSerializer.Serialize(value, Json)),
            cancellationToken);
}

/// <summary>The measurements read up to <see cref="LastRowId"/>, and each series' latest value at that point.</summary>
internal sealed record ReadingsCheckpoint(long LastRowId, IReadOnlyList<FleetReading> Latest);
