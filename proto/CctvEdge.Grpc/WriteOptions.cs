namespace CctvEdge.Grpc;

/// <summary>Flags that change how one message is written, as in Grpc.Core.</summary>
[Flags]
public enum WriteFlags
{
    /// <summary>Hint that the write may be buffered rather than flushed at once (accepted, not acted on).</summary>
    BufferHint = 0x1,

    /// <summary>Send this message uncompressed even when the call compresses.</summary>
    NoCompress = 0x2,
}

/// <summary>Options for writing messages: a call's default or a stream's current setting.</summary>
public sealed class WriteOptions
{
    /// <summary>The default: no flags.</summary>
    public static readonly WriteOptions Default = new();

    /// <summary>Creates write options.</summary>
    public WriteOptions(WriteFlags flags = default) => Flags = flags;

    /// <summary>The flags.</summary>
    public WriteFlags Flags { get; }

    internal static bool AllowsCompression(WriteOptions? options) => options is null || (options.Flags & WriteFlags.NoCompress) == 0;
}
