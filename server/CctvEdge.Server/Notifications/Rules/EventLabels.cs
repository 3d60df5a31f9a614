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
    public static IReadOnlyList<string> Read(string payloadJson) =>
        Entries(payloadJson).Select(e => e.Label).Where(l => l.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>An event's labels: its node's (the payload's) and those server processors added (<c>analysis_json</c>).</summary>
    public static IReadOnlyList<string> Read(string payloadJson, string analysisJson) =>
        analysisJson.Length == 0 ? Read(payloadJson) : [.. Read(payloadJson).Concat(Read(analysisJson)).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Each entry of the payload's <c>labels</c> that has a label, with its score (0 when it gives none).</summary>
    public static IReadOnlyList<(string Label, double Score)> Entries(string payloadJson)
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

            return Entries(labels.EnumerateArray());
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The entries among <paramref name="labels"/>: objects with a string <c>label</c>; others are skipped.</summary>
    public static IReadOnlyList<(string Label, double Score)> Entries(IEnumerable<JsonElement> labels) =>
        labels
            .Where(l => l.ValueKind == JsonValueKind.Object && l.TryGetProperty("label", out var name) && name.ValueKind == JsonValueKind.String)
            .Select(l => (l.GetProperty("label").GetString()!, l.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : 0))
            .ToList();
}
