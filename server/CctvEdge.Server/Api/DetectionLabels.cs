using System.Text.Json;
using CctvEdge.Server.Notifications.Rules;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Api;

/// <summary>
/// The detection labels of an events row for the pages: its events' payload <c>labels</c> (README, "Detection
/// labels", read by <see cref="EventLabels"/> as the notification rules read them), one entry per label with its
/// best score, best first.
/// </summary>
internal static class DetectionLabels
{
    /// <summary>From the row's <c>labels_json</c>: an array per event of <c>{"label", "score", "box"}</c> objects.</summary>
    public static IReadOnlyList<EventLabelView> OfRow(string labelsJson)
    {
        if (labelsJson is "[]" or "[[]]" or "")
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(labelsJson);
            return Best(EventLabels.Entries(document.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Array).SelectMany(e => e.EnumerateArray())));
        }
        catch (JsonException)
        {
            // Built by SQLite from valid payloads; a row that still fails shows no labels rather than failing the page.
            return [];
        }
    }

    /// <summary>
    /// From one event's payload, as the node sent it (any JSON, or none), and the labels server processors added to it
    /// (<c>events.analysis_json</c>, the same shape).
    /// </summary>
    public static IReadOnlyList<EventLabelView> OfEvent(string payloadJson, string analysisJson) =>
        Best([.. EventLabels.Entries(payloadJson), .. EventLabels.Entries(analysisJson)]);

    /// <summary>
    /// An event's boxes (<c>[[x, y, w, h], ...]</c>, fractions of the frame): as the node stored them, then the boxes of
    /// the labels server processors added.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<double>> Boxes(string boxesJson, string analysisJson)
    {
        List<IReadOnlyList<double>> boxes = boxesJson is "[]" or "" ? [] : [.. JsonSerializer.Deserialize<List<List<double>>>(boxesJson) ?? []];
        if (analysisJson.Length > 0)
        {
            using var document = JsonDocument.Parse(analysisJson);
            foreach (var label in document.RootElement.GetProperty("labels").EnumerateArray())
            {
                // An alert type repeats its object's box: each box once.
                if (label.TryGetProperty("box", out var box) && box.GetArrayLength() == 4
                    && box.EnumerateArray().Select(v => v.GetDouble()).ToList() is var found && !boxes.Any(b => b.SequenceEqual(found)))
                {
                    boxes.Add(found);
                }
            }
        }

        return boxes;
    }

    private static List<EventLabelView> Best(IEnumerable<(string Label, double Score)> labels) =>
        labels
            .GroupBy(l => l.Label.ToLowerInvariant(), StringComparer.Ordinal)
            .Select(g => new EventLabelView(g.Key, g.Max(l => l.Score)))
            .OrderByDescending(l => l.Score).ThenBy(l => l.Label, StringComparer.Ordinal)
            .ToList();
}
