using System.Buffers;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace CctvEdge.Grpc.Internal;

/// <summary>
/// Message compression (grpc/doc/compression.md): <c>identity</c> and <c>gzip</c>. Compression is per message; the
/// encoding is named once per call in <c>grpc-encoding</c>.
/// </summary>
internal static class MessageCompression
{
    public const string Identity = "identity";
    public const string Gzip = "gzip";

    /// <summary>What we advertise in <c>grpc-accept-encoding</c>.</summary>
    public const string AcceptEncoding = "identity,gzip";

    /// <summary>True for encodings we can read; null or empty means identity.</summary>
    public static bool IsSupported(string? encoding) =>
        string.IsNullOrEmpty(encoding) || encoding == Identity || encoding == Gzip;

    /// <summary>True when <paramref name="encoding"/> names real compression (not identity).</summary>
    public static bool IsCompressing(string? encoding) => !string.IsNullOrEmpty(encoding) && encoding != Identity;

    /// <summary>True when a <c>grpc-accept-encoding</c> value lists <paramref name="encoding"/>.</summary>
    public static bool Accepts(string? acceptEncoding, string encoding)
    {
        var value = (acceptEncoding ?? string.Empty).AsSpan();
        foreach (var range in value.Split(','))
        {
            if (value[range].Trim().Equals(encoding, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gzips <paramref name="payload"/> into <paramref name="output"/>.</summary>
    public static void Compress(ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CompressionLevel level)
    {
        using var stream = new GZipStream(new BufferWriterStream(output), level, leaveOpen: false);
        stream.Write(payload);
    }

    /// <summary>
    /// Un-gzips <paramref name="payload"/>. The output is capped at <paramref name="maxSize"/>: a small hostile
    /// message must not inflate into gigabytes (RESOURCE_EXHAUSTED, as gRPC answers).
    /// </summary>
    public static ReadOnlySequence<byte> Decompress(ReadOnlySequence<byte> payload, int maxSize)
    {
        var input = payload.IsSingleSegment && MemoryMarshal.TryGetArray(payload.First, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(payload.ToArray(), writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        var buffer = new byte[Math.Min(Math.Max(payload.Length * 4, 256), Math.Max((long)maxSize, 1) + 1)];
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxSize)
                    {
                        break;
                    }

                    Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, (long)maxSize + 1));
                }

                var read = gzip.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Failed to decompress message: " + ex.Message, ex));
        }

        if (length > maxSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size after decompression (> {maxSize})."));
        }

        return new ReadOnlySequence<byte>(buffer, 0, length);
    }

    /// <summary>A write-only stream over an <see cref="IBufferWriter{T}"/>, for GZipStream's output.</summary>
    private sealed class BufferWriterStream(IBufferWriter<byte> output) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => output.Write(buffer);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
