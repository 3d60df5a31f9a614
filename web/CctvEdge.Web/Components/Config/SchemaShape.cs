using System.Globalization;
using System.Text.Json.Nodes;

namespace CctvEdge.Web.Components.Config;

/// <summary>How the settings form edits one value, read from its JSON Schema.</summary>
internal enum FieldKind
{
    Integer,
    Number,
    Boolean,
    Text,
    Choice,

    /// <summary>An object with declared properties: a nested group of fields.</summary>
    Group,

    /// <summary>An array whose items the form can edit: a list of rows with add and remove.</summary>
    List,

    /// <summary>An array of objects with <c>Points</c> as [x, y] pairs of fractions: drawn over the camera's picture.</summary>
    Polygons,

    /// <summary>Anything else (no schema, oneOf, a map): a JSON text area.</summary>
    Json,
}

/// <summary>
/// Reads plugin settings schemas (as the node publishes them: type, properties, items, enum, default, minimum,
/// maximum) into the form's field kinds. What it cannot map stays <see cref="FieldKind.Json"/>, so no shape is ever
/// edited as something it is not.
/// </summary>
internal static class SchemaShape
{
    private static readonly string[] Combinators = ["oneOf", "anyOf", "allOf", "not", "$ref", "if"];

    public static FieldKind Of(JsonObject? schema)
    {
        if (schema is null || Combinators.Any(schema.ContainsKey) || TypeOf(schema) is not { } type)
        {
            return FieldKind.Json;
        }

        return type switch
        {
            "integer" => FieldKind.Integer,
            "number" => FieldKind.Number,
            "boolean" => FieldKind.Boolean,
            "string" => schema["enum"] is JsonArray { Count: > 0 } ? FieldKind.Choice : FieldKind.Text,
            "object" => Properties(schema).Any() ? FieldKind.Group : FieldKind.Json,
            "array" when IsPolygonList(schema) => FieldKind.Polygons,
            "array" => Of(Items(schema)) is FieldKind.Json or FieldKind.Polygons ? FieldKind.Json : FieldKind.List,
            _ => FieldKind.Json,
        };
    }

    /// <summary>The declared properties, in the schema's order.</summary>
    public static IEnumerable<KeyValuePair<string, JsonObject>> Properties(JsonObject schema) =>
        (schema["properties"] as JsonObject ?? [])
            .Where(p => p.Value is JsonObject)
            .Select(p => new KeyValuePair<string, JsonObject>(p.Key, (JsonObject)p.Value!));

    public static JsonObject? Items(JsonObject schema) => schema["items"] as JsonObject;

    /// <summary>
    /// An array of objects with a <c>Points</c> property that is a list of number lists, such as the motion plugin's
    /// zones and masks. The points are fractions (0..1) of the frame, which is what that schema's descriptions say; a
    /// schema that declares a larger <c>maximum</c> for the coordinates (pixels) is left to the row form.
    /// </summary>
    public static bool IsPolygonList(JsonObject schema) =>
        Items(schema) is { } item
        && TypeOf(item) == "object"
        && Property(item, "Points") is { } points
        && TypeOf(points) == "array"
        && Items(points) is { } point
        && TypeOf(point) == "array"
        && Items(point) is { } coordinate
        && TypeOf(coordinate) is "number"
        && (coordinate["maximum"] is not JsonValue max || (max.TryGetValue<double>(out var m) && m <= 1));

    /// <summary>A property's schema by name, matched without case as the node's binder matches keys.</summary>
    public static JsonObject? Property(JsonObject schema, string name) =>
        Properties(schema).FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The value a new row starts with: the schema's default, else an empty value of the right type.</summary>
    public static JsonNode NewValue(JsonObject? schema)
    {
        if (schema?["default"] is { } fallback)
        {
            return fallback.DeepClone();
        }

        return Of(schema) switch
        {
            FieldKind.Integer or FieldKind.Number => Number(schema!, Math.Max(0, Bound(schema!, "minimum") ?? 0)),
            FieldKind.Boolean => JsonValue.Create(false),
            FieldKind.Choice => JsonValue.Create(schema!["enum"]![0]!.ToString()),
            FieldKind.Text => JsonValue.Create(""),
            FieldKind.List or FieldKind.Polygons => new JsonArray(),
            _ => new JsonObject(),
        };
    }

    /// <summary>A number as the schema wants it: integers rounded (never 2.5 for an integer setting), within its range.</summary>
    public static JsonValue Number(JsonObject schema, double value)
    {
        var min = Bound(schema, "minimum") ?? double.MinValue;
        var max = Bound(schema, "maximum") ?? double.MaxValue;
        var clamped = Math.Clamp(value, min, max);
        return Of(schema) == FieldKind.Integer ? JsonValue.Create((long)Math.Round(clamped, MidpointRounding.AwayFromZero)) : JsonValue.Create(clamped);
    }

    public static double? Bound(JsonObject schema, string key) =>
        schema[key] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    /// <summary>The default as the placeholder of an empty field.</summary>
    public static string Placeholder(JsonObject? schema) => schema?["default"] switch
    {
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        JsonValue v => v.ToString(),
        { } other => other.ToJsonString(),
        null => "",
    };

    /// <summary>The one type of a schema; <c>["number", "null"]</c> counts as number (an optional value).</summary>
    private static string? TypeOf(JsonObject schema) => schema["type"] switch
    {
        JsonValue v when v.TryGetValue<string>(out var t) => t,
        JsonArray types when types.Select(t => t?.ToString()).Where(t => t != "null").ToList() is [var only] => only,
        _ => null,
    };
}
