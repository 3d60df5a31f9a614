using System.Text.Json.Nodes;

namespace CctvEdge.Server.Api;

/// <summary>
/// The camera entries of a node's configuration, in the node config file's JSON shape. Keys are matched without
/// regard to case, as the node's configuration binder matches them.
/// </summary>
internal static class CameraEntries
{
    public const string IdKey = "Id";
    public const string EnabledKey = "Enabled";

    public static JsonArray Parse(string camerasJson) => JsonNode.Parse(camerasJson) as JsonArray ?? [];

    /// <summary>The entry's id, or null when it has none that is a string.</summary>
    public static string? IdOf(JsonNode? entry) =>
        entry is JsonObject obj && Find(obj, IdKey) is { } key && obj[key] is JsonValue value && value.TryGetValue<string>(out var id) ? id : null;

    public static int IndexOf(JsonArray cameras, string cameraId)
    {
        for (var i = 0; i < cameras.Count; i++)
        {
            if (IdOf(cameras[i]) == cameraId)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Sets a top-level key, replacing it under whatever case it was written.</summary>
    public static void Set(JsonObject entry, string key, JsonNode? value)
    {
        if (Find(entry, key) is { } existing)
        {
            entry.Remove(existing);
        }

        entry[key] = value;
    }

    /// <summary>
    /// A copy for readers who may not see camera passwords: the password in every rtsp:// address of a source (Url,
    /// MainUrl, SubUrl) becomes ***. Admins read the entries as they are.
    /// </summary>
    public static JsonArray Redacted(JsonArray cameras)
    {
        var copy = (JsonArray)cameras.DeepClone();
        foreach (var entry in copy.OfType<JsonObject>())
        {
            if (Find(entry, "Source") is not { } source || entry[source] is not JsonObject src)
            {
                continue;
            }

            foreach (var key in src.Select(p => p.Key).Where(k => k.EndsWith("Url", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                if (src[key] is JsonValue value && value.TryGetValue<string>(out var text)
                    && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
                {
                    var user = uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)];
                    src[key] = new UriBuilder(uri) { UserName = user, Password = "***" }.Uri.ToString();
                }
            }
        }

        return copy;
    }

    private static string? Find(JsonObject obj, string key) =>
        obj.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
}
