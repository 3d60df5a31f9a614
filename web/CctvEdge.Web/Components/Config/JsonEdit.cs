using System.Text.Json.Nodes;

namespace CctvEdge.Web.Components.Config;

/// <summary>
/// Puts a field's new value into its parent object or array. A node can have one parent only, so a value that already
/// sits somewhere else is copied, and the value already in place is left alone.
/// </summary>
internal static class JsonEdit
{
    /// <summary>Sets <paramref name="key"/> (matched without case, as the node's binder reads keys); null removes it.</summary>
    public static void Put(JsonObject parent, string key, JsonNode? value)
    {
        var existing = parent.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
        if (value is null)
        {
            if (existing is not null)
            {
                parent.Remove(existing);
            }

            return;
        }

        if (existing is not null && ReferenceEquals(parent[existing], value))
        {
            return;
        }

        parent[existing ?? key] = value.Parent is null ? value : value.DeepClone();
    }

    public static void Put(JsonArray parent, int index, JsonNode value)
    {
        if (!ReferenceEquals(parent[index], value))
        {
            parent[index] = value.Parent is null ? value : value.DeepClone();
        }
    }

    /// <summary>The property's current value, matched without case.</summary>
    public static JsonNode? Get(JsonObject? parent, string key) =>
        parent?.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
}
