using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace CctvEdge.Node.Configuration;

/// <summary>
/// Turns a configuration section back into JSON in the config file's shape, so the node can tell the server what it
/// runs. Configuration keeps every value as a string: numbers and true/false are written as JSON numbers and booleans
/// again when the text round-trips exactly, which the binder reads the same either way.
/// </summary>
internal static class ConfigurationJson
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>The section's children as a JSON array (numeric keys) or object; "[]" for an empty section.</summary>
    public static string Write(IConfigurationSection section) =>
        (Node(section) ?? new JsonArray()).ToJsonString(Compact);

    /// <summary>The same JSON, written one way, so two texts of one configuration compare equal.</summary>
    public static string Normalize(string json) => JsonNode.Parse(json)?.ToJsonString(Compact) ?? "null";

    private static JsonNode? Node(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return Scalar(section.Value);
        }

        if (children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var array = new JsonArray();
            foreach (var child in children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)))
            {
                array.Add(Node(child));
            }

            return array;
        }

        var obj = new JsonObject();
        foreach (var child in children)
        {
            obj[child.Key] = Node(child);
        }

        return obj;
    }

    private static JsonNode? Scalar(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value is "true" or "false" or "True" or "False")
        {
            return JsonValue.Create(bool.Parse(value));
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number)
            && number.ToString(CultureInfo.InvariantCulture) == value)
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }
}
