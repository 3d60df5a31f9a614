using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Cameras;

/// <summary>The latest JPEG of a camera, with a version so the uplink sends each picture once.</summary>
internal sealed class SnapshotSlot : ISnapshotSource
{
    private JpegSnapshot? _latest;
    private long _version;

    public event Action? Updated;

    public JpegSnapshot? Latest => Volatile.Read(ref _latest);

    public long Version => Interlocked.Read(ref _version);

    public void Publish(JpegSnapshot snapshot)
    {
        Volatile.Write(ref _latest, snapshot);
        Interlocked.Increment(ref _version);
        Updated?.Invoke();
    }

    /// <summary>A complete JPEG starts with SOI (FF D8) and ends with EOI (FF D9).</summary>
    public static bool LooksComplete(ReadOnlySpan<byte> jpeg) =>
        jpeg.Length > 4 && jpeg[0] == 0xFF && jpeg[1] == 0xD8 && jpeg[^2] == 0xFF && jpeg[^1] == 0xD9;
}
