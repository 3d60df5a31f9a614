using System.Buffers;

namespace CctvEdge.Grpc;

/// <summary>Turns messages into payload bytes and back, as Grpc.Core.Marshaller does.</summary>
public sealed class Marshaller<T>
{
    /// <summary>Creates a marshaller from plain byte-array functions.</summary>
    public Marshaller(Func<T, byte[]> serializer, Func<byte[], T> deserializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(deserializer);
        ContextualSerializer = (message, context) => context.Complete(serializer(message));
        ContextualDeserializer = context => deserializer(context.PayloadAsNewBuffer());
    }

    /// <summary>Creates a marshaller that writes straight into the transport's buffers.</summary>
    public Marshaller(Action<T, SerializationContext> contextualSerializer, Func<DeserializationContext, T> contextualDeserializer)
    {
        ContextualSerializer = contextualSerializer ?? throw new ArgumentNullException(nameof(contextualSerializer));
        ContextualDeserializer = contextualDeserializer ?? throw new ArgumentNullException(nameof(contextualDeserializer));
    }

    /// <summary>Writes a message into a serialization context.</summary>
    public Action<T, SerializationContext> ContextualSerializer { get; }

    /// <summary>Reads a message from a deserialization context.</summary>
    public Func<DeserializationContext, T> ContextualDeserializer { get; }
}

/// <summary>Factory methods for marshallers.</summary>
public static class Marshallers
{
    /// <summary>Creates a marshaller from byte-array functions.</summary>
    public static Marshaller<T> Create<T>(Func<T, byte[]> serializer, Func<byte[], T> deserializer) => new(serializer, deserializer);

    /// <summary>Creates a contextual marshaller.</summary>
    public static Marshaller<T> Create<T>(Action<T, SerializationContext> serializer, Func<DeserializationContext, T> deserializer) => new(serializer, deserializer);
}

/// <summary>Where a marshaller writes one message's payload.</summary>
public abstract class SerializationContext
{
    /// <summary>Completes the payload with a whole buffer.</summary>
    public virtual void Complete(byte[] payload) => throw new NotSupportedException();

    /// <summary>A writer for the payload; call <see cref="SetPayloadLength"/> first when the length is known.</summary>
    public virtual IBufferWriter<byte> GetBufferWriter() => throw new NotSupportedException();

    /// <summary>Announces the payload length before writing, which saves a copy.</summary>
    public virtual void SetPayloadLength(int payloadLength)
    {
    }

    /// <summary>Completes a payload written through <see cref="GetBufferWriter"/>.</summary>
    public virtual void Complete() => throw new NotSupportedException();
}

/// <summary>Where a marshaller reads one message's payload.</summary>
public abstract class DeserializationContext
{
    /// <summary>The payload length in bytes.</summary>
    public abstract int PayloadLength { get; }

    /// <summary>The payload copied into a new array.</summary>
    public virtual byte[] PayloadAsNewBuffer() => PayloadAsReadOnlySequence().ToArray();

    /// <summary>The payload without a copy; valid only during the call.</summary>
    public abstract ReadOnlySequence<byte> PayloadAsReadOnlySequence();
}
