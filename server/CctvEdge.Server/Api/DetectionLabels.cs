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

    /// <summary>From one event's payload, as the node sent it (any JSON, or none).</summary>
    public static IReadOnlyList<EventLabelView> OfPayload(string payloadJson) => Best(EventLabels.Entries(payloadJson));

    /// <summary>An event's boxes as stored (<c>[[x, y, w, h], ...]</c>, fractions of the frame).</summary>
    public static IReadOnlyList<IReadOnlyList<double>> Boxes(string boxesJson) =>
        boxesJson is "[]" or "" ? [] : JsonSerializer.Deserialize<List<List<double>>>(boxesJson) ?? [];

    private static List<EventLabelView> Best(IEnumerable<(string Label, double Score)> labels) =>
        labels
            .GroupBy(l => l.Label.ToLowerInvariant(), StringComparer.Ordinal)
            .Select(g => new EventLabelView(g.Key, g.Max(l => l.Score)))
            .OrderByDescending(l => l.Score).ThenBy(l => l.Label, StringComparer.Ordinal)
            .ToList();
}
