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
    public static IReadOnlyList<EventLabelView> OfRow(string labelsJson) => RowEntries(labelsJson, EventLabels.Entries) is { } entries ? Best(entries) : [];

    /// <summary>
    /// The boxes of the row's labels, best score first: per label its best box, and each box once (a node and central
    /// detection list an object's alert types after it, with its box).
    /// </summary>
    public static IReadOnlyList<LabelBox> BoxesOfRow(string labelsJson) =>
        RowEntries(labelsJson, BoxEntries) is { } boxes
            ? boxes
                .GroupBy(b => b.Label.ToLowerInvariant(), StringComparer.Ordinal)
                .Select(g => g.MaxBy(b => b.Score)!)
                .OrderByDescending(b => b.Score)
                .DistinctBy(b => (b.X, b.Y, b.Width, b.Height))
                .ToList()
            : [];

    /// <summary>The entries of every event of a row's <c>labels_json</c>, read by <paramref name="read"/>; null when there are none.</summary>
    private static IReadOnlyList<T>? RowEntries<T>(string labelsJson, Func<IEnumerable<JsonElement>, IReadOnlyList<T>> read)
    {
        if (labelsJson is "[]" or "[[]]" or "")
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(labelsJson);
            return read(document.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Array).SelectMany(e => e.EnumerateArray()));
        }
        catch (JsonException)
        {
            // Built by SQLite from valid payloads; a row that still fails shows no labels rather than failing the page.
            return null;
        }
    }

    /// <summary>Entries with a label and a box of four fractions.</summary>
    private static IReadOnlyList<LabelBox> BoxEntries(IEnumerable<JsonElement> labels) =>
        [.. labels
            .Where(l => l.ValueKind == JsonValueKind.Object && l.TryGetProperty("box", out var box) && IsBox(box))
            .SelectMany(l => EventLabels.Entries([l]).Select(e => Box(e.Label, e.Score, l.GetProperty("box"))))];

    private static bool IsBox(JsonElement box) =>
        box.ValueKind == JsonValueKind.Array && box.GetArrayLength() == 4 && box.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number);

    private static LabelBox Box(string label, double score, JsonElement box) =>
        new(label.ToLowerInvariant(), score, box[0].GetDouble(), box[1].GetDouble(), box[2].GetDouble(), box[3].GetDouble());

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
        if (analysisJson.Length == 0)
        {
            return boxes;
        }

        using var document = JsonDocument.Parse(analysisJson);
        foreach (var box in BoxEntries(document.RootElement.GetProperty("labels").EnumerateArray()))
        {
            // An alert type repeats its object's box: each box once.
            double[] found = [box.X, box.Y, box.Width, box.Height];
            if (!boxes.Any(b => b.SequenceEqual(found)))
            {
                boxes.Add(found);
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
