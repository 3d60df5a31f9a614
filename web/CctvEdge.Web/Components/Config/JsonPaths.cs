using System.Text.Json.Nodes;

namespace CctvEdge.Web.Components.Config;

/// <summary>
/// Reads and writes a camera entry by dotted path ("Source.Kind"), the keys matched without case as the node's
/// configuration binder does, so an entry written as "source" in a hand-edited file is edited in place.
/// </summary>
internal static class JsonPaths
{
    public static JsonNode? Get(JsonObject root, string path)
    {
        JsonNode? node = root;
        foreach (var key in path.Split('.'))
        {
            node = node is JsonObject o && Find(o, key) is { } found ? o[found] : null;
        }

        return node;
    }

    /// <summary>Sets a value, creating the objects on the way; null removes it.</summary>
    public static void Set(JsonObject root, string path, JsonNode? value)
    {
        var keys = path.Split('.');
        var parent = root;
        foreach (var key in keys[..^1])
        {
            var existing = Find(parent, key);
            if (existing is null || parent[existing] is not JsonObject child)
            {
                if (value is null)
                {
                    return;
                }

                child = [];
                parent[existing ?? key] = child;
            }

            parent = child;
        }

        var last = Find(parent, keys[^1]) ?? keys[^1];
        if (value is null)
        {
            parent.Remove(last);
        }
        else
        {
            parent[last] = value;
        }
    }

    public static string? Text(JsonObject root, string path) => Get(root, path) is JsonValue v ? v.ToString() : null;

    private static string? Find(JsonObject o, string key) => o.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
}
