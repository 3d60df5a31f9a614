using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;

namespace CctvEdge.Grpc.Internal;

/// <summary>
/// Length-prefixed messages: a compressed flag byte, a 4-byte big-endian length, the payload.
/// Shared by client and server so both sides reject the same malformed input the same way.
/// </summary>
internal static class MessageFraming
{
    /// <summary>
    /// Reads the next message; HasMessage is false at a clean end of stream. <paramref name="encoding"/> is the
    /// call's <c>grpc-encoding</c> (null for none), already checked as supported.
    /// </summary>
    public static async ValueTask<(bool HasMessage, T Message)> ReadMessageAsync<T>(
        PipeReader reader, Func<DeserializationContext, T> deserializer, int maxReceiveSize, string? encoding, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                if (TryReadFrame(ref buffer, maxReceiveSize, out var payload, out var compressed))
                {
                    // Deserialize before advancing: the payload is borrowed from the pipe.
                    var message = Deserialize(compressed ? Decompress(payload, encoding, maxReceiveSize) : payload, deserializer);
                    reader.AdvanceTo(buffer.Start);
                    return (true, message);
                }
            }
            catch
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw;
            }

            if (result.IsCompleted)
            {
                var leftover = buffer.Length;
                reader.AdvanceTo(buffer.End);
                if (leftover == 0)
                {
                    return (false, default!);
                }

                throw new RpcException(new Status(StatusCode.Internal, "Incomplete message: the stream ended inside a message frame."));
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Cuts one complete frame off <paramref name="buffer"/> when it holds one.</summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxReceiveSize, out ReadOnlySequence<byte> payload, out bool compressed)
    {
        payload = default;
        compressed = false;
        if (buffer.Length < GrpcProtocol.MessageHeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocol.MessageHeaderSize];
        buffer.Slice(0, GrpcProtocol.MessageHeaderSize).CopyTo(header);
        var flag = header[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (flag > 1)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Invalid compressed flag {flag} in message header."));
        }

        if (length > (uint)maxReceiveSize)
        {
            // Checked on the header, before buffering: a hostile length must not make us allocate it.
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size ({length} > {maxReceiveSize})."));
        }

        if (buffer.Length < GrpcProtocol.MessageHeaderSize + length)
        {
            return false;
        }

        payload = buffer.Slice(GrpcProtocol.MessageHeaderSize, length);
        buffer = buffer.Slice(payload.End);
        compressed = flag == 1;
        return true;
    }

    /// <summary>
    /// Writes one framed message to <paramref name="output"/>, gzipped when <paramref name="compression"/> names
    /// gzip. The size limit applies to the uncompressed message, as the peer's receive limit will.
    /// </summary>
    public static void WriteMessage<T>(IBufferWriter<byte> output, T message, Action<T, SerializationContext> serializer, int maxSendSize, string? compression = null)
    {
        if (!MessageCompression.IsCompressing(compression))
        {
            WriteUncompressed(output, message, serializer, maxSendSize);
            return;
        }

        var framed = new ArrayBufferWriter<byte>();
        WriteUncompressed(framed, message, serializer, maxSendSize);
        var compressed = new ArrayBufferWriter<byte>(Math.Max(64, framed.WrittenCount / 2));
        MessageCompression.Compress(framed.WrittenSpan[GrpcProtocol.MessageHeaderSize..], compressed, CompressionLevel.Fastest);
        WriteHeader(output, compressed: true, compressed.WrittenCount);
        output.Write(compressed.WrittenSpan);
    }

    private static void WriteUncompressed<T>(IBufferWriter<byte> output, T message, Action<T, SerializationContext> serializer, int maxSendSize)
    {
        var context = new FramingSerializationContext(output, maxSendSize);
        serializer(message, context);
        context.EnsureCompleted();
    }

    private static void WriteHeader(IBufferWriter<byte> output, bool compressed, int length)
    {
        var span = output.GetSpan(GrpcProtocol.MessageHeaderSize);
        span[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
        output.Advance(GrpcProtocol.MessageHeaderSize);
    }

    private static ReadOnlySequence<byte> Decompress(ReadOnlySequence<byte> payload, string? encoding, int maxReceiveSize) =>
        MessageCompression.IsCompressing(encoding)
            ? MessageCompression.Decompress(payload, maxReceiveSize)
            : throw new RpcException(new Status(StatusCode.Internal, "Received a compressed message, but no message encoding was negotiated (grpc-encoding is missing or identity)."));

    private static T Deserialize<T>(ReadOnlySequence<byte> payload, Func<DeserializationContext, T> deserializer)
    {
        try
        {
            return deserializer(new SequenceDeserializationContext(payload));
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Failed to deserialize message: " + ex.Message, ex));
        }
    }

    private sealed class SequenceDeserializationContext(ReadOnlySequence<byte> payload) : DeserializationContext
    {
        public override int PayloadLength => (int)payload.Length;

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => payload;
    }

    private sealed class FramingSerializationContext(IBufferWriter<byte> output, int maxSendSize) : SerializationContext
    {
        private ArrayBufferWriter<byte>? _scratch;
        private bool _lengthDeclared;
        private bool _completed;

        public override void Complete(byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(payload);
            WriteHeader(payload.Length);
            output.Write(payload);
            _completed = true;
        }

        public override void SetPayloadLength(int payloadLength)
        {
            // Known length: write the header now and let the marshaller write straight into the transport buffer.
            WriteHeader(payloadLength);
            _lengthDeclared = true;
        }

        public override IBufferWriter<byte> GetBufferWriter() => _lengthDeclared ? output : _scratch ??= new ArrayBufferWriter<byte>();

        public override void Complete()
        {
            if (!_lengthDeclared)
            {
                var scratch = _scratch ?? new ArrayBufferWriter<byte>(1);
                WriteHeader(scratch.WrittenCount);
                output.Write(scratch.WrittenSpan);
            }

            _completed = true;
        }

        public void EnsureCompleted()
        {
            if (!_completed)
            {
                throw new InvalidOperationException("The marshaller did not complete the serialization context.");
            }
        }

        private void WriteHeader(int length)
        {
            if (length > maxSendSize)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Sending message exceeds the maximum configured message size ({length} > {maxSendSize})."));
            }

            MessageFraming.WriteHeader(output, compressed: false, length);
        }
    }
}
