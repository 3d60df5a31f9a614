using CctvEdge.Plugins.Detection.Internal.Model;

namespace CctvEdge.Plugins.Detection.Internal.Tracking;

/// <summary>One object followed from frame to frame; once seen often enough it is an event.</summary>
internal sealed class TrackedObject(int classId, string label, DateTimeOffset start)
{
    public string EventId { get; } = Guid.NewGuid().ToString("N");

    public int ClassId => classId;

    public string Label => label;

    public DateTimeOffset Start => start;

    public DateTimeOffset LastSeen { get; private set; }

    public Box LastBox { get; private set; }

    /// <summary>Frames it was seen in.</summary>
    public int Hits { get; private set; }

    /// <summary>True once its event has been published.</summary>
    public bool Opened { get; set; }

    public HashSet<string> Zones { get; } = new(StringComparer.OrdinalIgnoreCase);

    public DetectedObject Best { get; private set; }

    /// <summary>The frame of the best detection (RGB24, tightly packed), for the event's snapshot.</summary>
    public BestFrame? BestFrame { get; private set; }

    /// <summary>True when the best detection changed since the snapshot was last published.</summary>
    public bool BestChanged { get; set; }

    public void Saw(DetectedObject detection, IEnumerable<string> zones, DateTimeOffset at, ReadOnlySpan<byte> rgb, int width, int height, int stride)
    {
        Hits++;
        LastSeen = at;
        LastBox = detection.Box;
        Zones.UnionWith(zones);
        if (BestFrame is null || detection.Score > Best.Score)
        {
            Best = detection;
            BestFrame = Tracking.BestFrame.Copy(rgb, width, height, stride, BestFrame);
            BestChanged = true;
        }
    }
}

/// <summary>A copy of a frame kept as an object's best view.</summary>
internal sealed record BestFrame(byte[] Rgb, int Width, int Height)
{
    /// <summary>Copies the frame's pixels, reusing <paramref name="previous"/>'s buffer when it has the size.</summary>
    public static BestFrame Copy(ReadOnlySpan<byte> rgb, int width, int height, int stride, BestFrame? previous)
    {
        var row = 3 * width;
        var buffer = previous is { } p && p.Rgb.Length == row * height ? p.Rgb : new byte[row * height];
        for (var y = 0; y < height; y++)
        {
            rgb.Slice(y * stride, row).CopyTo(buffer.AsSpan(y * row, row));
        }

        return new BestFrame(buffer, width, height);
    }
}
