using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Motion.Tests.Accuracy;

/// <summary>
/// Events against ground truth. An event matches an object when their times overlap (1 s of slack either side).
/// Precision: events that match an object. Recall: objects matched by an event. For each object, the first matching
/// event's union box against the object's swept box (IoU), its start delay and its end error.
/// </summary>
internal sealed record EventScore(int Events, int Episodes, double Precision, double Recall, List<double> EventIous, List<double> StartDelays, List<double> EndErrors)
{
    public static EventScore Of(IReadOnlyList<PluginEvent> events, IReadOnlyList<MovingObject> objects)
    {
        var t0 = events.Count == 0 ? default : events.Min(e => e.Start) - TimeSpan.FromSeconds(events.Min(e => e.Start).TimeOfDay.TotalSeconds - (12 * 3600));
        var matched = events.Count(e => objects.Any(o => Overlaps(e, o)));
        var ious = new List<double>();
        var delays = new List<double>();
        var endErrors = new List<double>();
        var found = 0;
        foreach (var o in objects)
        {
            var e = events.FirstOrDefault(e => Overlaps(e, o));
            if (e is null)
            {
                continue;
            }

            found++;
            ious.Add(Iou(Union(e.Boxes), Swept(o)));
            delays.Add(Seconds(e.Start) - o.From);
            // The event ends at its last motion frame; the object was last seen one frame before To.
            endErrors.Add(Seconds(e.End!.Value) - (o.To - (1 / LabelledFootage.Fps)));
        }

        return new EventScore(events.Count, objects.Count, events.Count == 0 ? 1 : (double)matched / events.Count, (double)found / objects.Count, ious, delays, endErrors);
    }

    public static bool Overlaps(PluginEvent e, MovingObject o) => Seconds(e.Start) < o.To + 1 && Seconds(e.End ?? e.Start) > o.From - 1;

    public static double Iou((double X, double Y, double Width, double Height) a, (double X, double Y, double Width, double Height) b)
    {
        var w = Math.Min(a.X + a.Width, b.X + b.Width) - Math.Max(a.X, b.X);
        var h = Math.Min(a.Y + a.Height, b.Y + b.Height) - Math.Max(a.Y, b.Y);
        var inter = Math.Max(0, w) * Math.Max(0, h);
        return inter / ((a.Width * a.Height) + (b.Width * b.Height) - inter);
    }

    /// <summary>Seconds since noon of the event day (the footage starts at 12:00).</summary>
    private static double Seconds(DateTimeOffset at) => at.TimeOfDay.TotalSeconds - (12 * 3600);

    private static (double X, double Y, double Width, double Height) Union(IReadOnlyList<RegionBox> boxes)
    {
        double left = boxes.Min(b => b.X), top = boxes.Min(b => b.Y);
        double right = boxes.Max(b => b.X + b.Width), bottom = boxes.Max(b => b.Y + b.Height);
        return (left * LabelledFootage.Width, top * LabelledFootage.Height, (right - left) * LabelledFootage.Width, (bottom - top) * LabelledFootage.Height);
    }

    private static (double X, double Y, double Width, double Height) Swept(MovingObject o)
    {
        var boxes = Enumerable.Range(0, (int)Math.Round((o.To - o.From) * LabelledFootage.Fps)).Select(i => o.BoxAt(o.From + (i / LabelledFootage.Fps))!.Value).ToList();
        int left = boxes.Min(b => b.X), top = boxes.Min(b => b.Y);
        return (left, top, boxes.Max(b => b.X + b.Width) - left, boxes.Max(b => b.Y + b.Height) - top);
    }
}
