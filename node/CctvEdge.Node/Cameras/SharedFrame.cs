using System.Buffers;

namespace CctvEdge.Node.Cameras;

/// <summary>
/// A gray (or, with 3 channels, RGB24) frame from the pool, shared by every plugin of a camera without copying: each
/// holder calls <see cref="Release"/> once, and the last one returns the buffer.
/// </summary>
internal sealed class SharedFrame
{
    private readonly byte[] _buffer;
    private int _references = 1;

    private SharedFrame(byte[] buffer, int width, int height, int channels, long number, DateTimeOffset timestamp)
    {
        _buffer = buffer;
        Width = width;
        Height = height;
        Channels = channels;
        Number = number;
        Timestamp = timestamp;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bytes per pixel: 1 for gray, 3 for RGB24.</summary>
    public int Channels { get; }

    public long Number { get; }

    public DateTimeOffset Timestamp { get; }

    public ReadOnlyMemory<byte> Pixels => _buffer.AsMemory(0, Width * Height * Channels);

    /// <summary>Rents a buffer big enough for one frame; hand it to <see cref="Wrap"/> or back to the pool.</summary>
    public static byte[] Rent(int width, int height, int channels = 1) => ArrayPool<byte>.Shared.Rent(width * height * channels);

    public static void Return(byte[] rented) => ArrayPool<byte>.Shared.Return(rented);

    /// <summary>Wraps a filled buffer; the caller holds the first reference.</summary>
    public static SharedFrame Wrap(byte[] rented, int width, int height, long number, DateTimeOffset timestamp, int channels = 1) =>
        new(rented, width, height, channels, number, timestamp);

    public SharedFrame AddReference()
    {
        Interlocked.Increment(ref _references);
        return this;
    }

    public void Release()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("Frame released more often than referenced.");
        }
    }
}
