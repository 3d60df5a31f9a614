namespace CctvEdge.Plugins.Detection.Internal.Model;

/// <summary>An axis-aligned box by its corners, in whatever pixel space it was made in.</summary>
internal readonly record struct Box(float X1, float Y1, float X2, float Y2)
{
    public float Width => X2 - X1;

    public float Height => Y2 - Y1;

    public float Area => Math.Max(0, Width) * Math.Max(0, Height);

    /// <summary>YOLO's centre-and-size form.</summary>
    public static Box FromCentre(float cx, float cy, float w, float h) => new(cx - (w / 2), cy - (h / 2), cx + (w / 2), cy + (h / 2));

    /// <summary>Intersection over union: 0 for boxes apart, 1 for the same box.</summary>
    public float Iou(Box other)
    {
        var w = Math.Min(X2, other.X2) - Math.Max(X1, other.X1);
        var h = Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        var inter = w * h;
        return inter / (Area + other.Area - inter);
    }
}

/// <summary>One object the model found: its box, class and score (0..1).</summary>
internal readonly record struct DetectedObject(Box Box, int ClassId, float Score);
