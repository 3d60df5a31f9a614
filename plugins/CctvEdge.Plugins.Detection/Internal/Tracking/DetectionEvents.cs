using CctvEdge.Plugins.Detection.Internal.Configuration;
using CctvEdge.Plugins.Detection.Internal.Imaging;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Detection.Internal.Tracking;

/// <summary>The event and snapshot of a tracked object, as the node's outbox takes them.</summary>
internal static class DetectionEvents
{
    public const string Kind = "detection";

    public static PluginEvent ToEvent(TrackedObject tracked, ObjectRules rules, DateTimeOffset? end)
    {
        var frame = tracked.BestFrame!;
        var box = tracked.Best.Box;
        var region = new RegionBox(box.X1 / frame.Width, box.Y1 / frame.Height, box.Width / frame.Width, box.Height / frame.Height);
        double[] boxArray = [Round(region.X), Round(region.Y), Round(region.Width), Round(region.Height)];
        var score = Round(tracked.Best.Score);
        var zones = tracked.Zones.Order(StringComparer.Ordinal).ToList();
        var alerts = rules.Alerts(tracked.Label, zones);
        List<DetectionLabel> labels = [new(tracked.Label, score, boxArray), .. alerts.Select(a => new DetectionLabel(a, score, boxArray, Alert: true))];
        return new PluginEvent(tracked.EventId, Kind, tracked.Start)
        {
            End = end,
            Peak = score,
            Boxes = [region],
            Zones = zones,
            // The object's label and its alert types: a metered node's upload policy sends the clips of flagged labels.
            Labels = labels.Select(l => l.Label).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            Payload = new DetectionPayload(tracked.Label, score, alerts, labels, tracked.Hits),
        };
    }

    /// <summary>The best frame with the object's box drawn on it, as a PNG for the event.</summary>
    public static PluginFile Snapshot(TrackedObject tracked)
    {
        var frame = tracked.BestFrame!;
        var pixels = (byte[])frame.Rgb.Clone();
        BoxPainter.Draw(pixels, frame.Width, frame.Height, tracked.Best.Box);
        tracked.BestChanged = false;
        return new PluginFile("image", $"detection-{tracked.EventId}.png", "image/png", PngEncoder.Encode(pixels, frame.Width, frame.Height)) { EventId = tracked.EventId };
    }

    private static double Round(double value) => Math.Round(value, 4);
}
