using System.Text.Json;

namespace CctvEdge.Server.Notifications.Rules;

/// <summary>
/// The detection labels of an event, by the payload convention plugins follow (README, "Detection labels"):
/// <c>{"labels": [{"label": "person", "score": 0.91, "box": [x, y, w, h]}, ...]}</c>, one entry per object seen. Only
/// <c>label</c> is required; anything else in the payload, or a payload that is not JSON, is no label at all, so a
/// plugin's own fields never break rules.
/// </summary>
internal static class EventLabels
{
    public static IReadOnlyList<string> Read(string payloadJson)
    {
        // Most events (motion) have no labels: skip parsing their payloads.
        if (!payloadJson.Contains("\"labels\"", StringComparison.Ordinal))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(payloadJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("labels", out var labels)
                || labels.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            return labels.EnumerateArray()
                .Where(l => l.ValueKind == JsonValueKind.Object && l.TryGetProperty("label", out var name) && name.ValueKind == JsonValueKind.String)
                .Select(l => l.GetProperty("label").GetString()!)
                .Where(l => l.Length > 0)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
