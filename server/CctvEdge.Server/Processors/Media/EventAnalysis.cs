using System.Text.Json;
using System.Text.Json.Nodes;
using CctvEdge.Server.Plugins.Sdk;

namespace CctvEdge.Server.Processors.Media;

/// <summary>
/// <c>events.analysis_json</c>: <c>{"labels": [{"label", "score", "box", "source"}, ...]}</c>, the labels processors
/// put on an event in the shape of the node's payload labels (README, "Detection labels"), so the events pages read
/// both the same way. Each entry names the processor it came from.
/// </summary>
internal static class EventAnalysis
{
    /// <summary><paramref name="analysisJson"/> with <paramref name="source"/>'s labels replaced by <paramref name="labels"/>.</summary>
    public static string WithLabels(string analysisJson, string source, IReadOnlyList<EventLabel> labels)
    {
        var kept = new JsonArray();
        foreach (var entry in Entries(analysisJson))
        {
            if (entry is JsonObject o && !string.Equals((string?)o["source"], source, StringComparison.Ordinal))
            {
                kept.Add(entry.DeepClone());
            }
        }

        foreach (var label in labels)
        {
            kept.Add(new JsonObject
            {
                ["label"] = label.Label,
                ["score"] = label.Score,
                ["box"] = new JsonArray([.. label.Box.Select(v => (JsonNode)v)]),
                ["source"] = source,
            });
        }

        return kept.Count == 0 ? "" : new JsonObject { ["labels"] = kept }.ToJsonString();
    }

    private static IEnumerable<JsonNode?> Entries(string analysisJson)
    {
        if (analysisJson.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(analysisJson)?["labels"] as JsonArray ?? [];
        }
        catch (JsonException)
        {
            // Only this class writes the column; anything else in it is dropped rather than kept broken.
            return [];
        }
    }
}
