using CctvEdge.Grpc;
using Google.Protobuf;

namespace CctvEdge.Protocol;

/// <summary>Marshallers for protobuf messages, written the way grpc's generated code writes them.</summary>
public static class ProtobufMarshaller
{
    /// <summary>A marshaller that serializes straight into the transport's buffer.</summary>
    public static Marshaller<T> Create<T>(MessageParser<T> parser)
        where T : IMessage<T>, IBufferMessage =>
        Marshallers.Create<T>(
            (message, context) =>
            {
                context.SetPayloadLength(message.CalculateSize());
                message.WriteTo(context.GetBufferWriter());
                context.Complete();
            },
            context => parser.ParseFrom(context.PayloadAsReadOnlySequence()));
}
