using System.Globalization;
using System.Text.Json;

namespace CctvEdge.Node.Sensors.Microcontrollers;

/// <summary>One value of a post: a bare number, or <c>{"value": 21.5, "unit": "°C"}</c>.</summary>
internal readonly record struct PostedValue(string Name, double Value, string Unit);

/// <summary>
/// A board's post, <c>{"device": "vib-1", "values": {"vibration": 0.12, "temperature": {"value": 21.5, "unit": "°C"}},
/// "at": "2026-12-07T10:00:00Z", "token": "..."}</c>, checked before anything is stored: every problem is a message
/// for the board's author, and a post with one bad value stores none.
/// </summary>
internal sealed record MicrocontrollerInput(string Device, IReadOnlyList<PostedValue> Values, DateTimeOffset? At, string? Token)
{
    private const int MaxNameLength = 64;
    private const int MaxUnitLength = 16;

    /// <summary>The post, or why not.</summary>
    public static (MicrocontrollerInput? Input, string? Error) Parse(ReadOnlySpan<byte> json, int maxValues)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
            return Read(document.RootElement, maxValues);
        }
        catch (JsonException ex)
        {
            return (null, $"body is not JSON: {ex.Message}");
        }
    }

    private static (MicrocontrollerInput?, string?) Read(JsonElement root, int maxValues)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, "body must be a JSON object with device and values");
        }

        if (!root.TryGetProperty("device", out var device) || device.ValueKind != JsonValueKind.String || device.GetString() is not { Length: > 0 } id)
        {
            return (null, "device is required: the board's id, e.g. \"vib-1\"");
        }

        if (!root.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Object)
        {
            return (null, "values is required: an object of name and number, e.g. {\"temperature\": 21.5}");
        }

        var read = new List<PostedValue>();
        foreach (var value in values.EnumerateObject())
        {
            if (read.Count == maxValues)
            {
                return (null, $"too many values: at most {maxValues} per post");
            }

            var (posted, error) = ReadValue(value);
            if (error is not null)
            {
                return (null, error);
            }

            read.Add(posted);
        }

        if (read.Count == 0)
        {
            return (null, "values is empty");
        }

        DateTimeOffset? at = null;
        if (root.TryGetProperty("at", out var time) && time.ValueKind != JsonValueKind.Null)
        {
            if (time.ValueKind != JsonValueKind.String || !DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return (null, $"at '{time}' is not an ISO 8601 time such as 2026-12-07T10:00:00Z");
            }

            at = parsed;
        }

        var token = root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return (new MicrocontrollerInput(id, read, at, token), null);
    }

    private static (PostedValue, string?) ReadValue(JsonProperty value)
    {
        var name = value.Name;
        if (name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            return (default, $"value name '{name}' must be 1-{MaxNameLength} letters, digits, '.', '_' or '-'");
        }

        var (number, unit) = value.Value.ValueKind switch
        {
            JsonValueKind.Number => (value.Value.GetDouble(), ""),
            JsonValueKind.Object when value.Value.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number =>
                (v.GetDouble(), value.Value.TryGetProperty("unit", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() ?? "" : ""),
            _ => (double.NaN, ""),
        };
        if (!double.IsFinite(number))
        {
            return (default, $"values.{name} must be a finite number or {{\"value\": number, \"unit\": text}}");
        }

        return unit.Length > MaxUnitLength ? (default, $"values.{name}.unit is longer than {MaxUnitLength} characters") : (new PostedValue(name, number, unit), null);
    }
}
