using CctvEdge.Grpc;
using CctvEdge.Grpc.Client;

namespace CctvEdge.Protocol.V1;

/// <summary>The typed layer for <c>cctvedge.v1.ClipService</c>, shaped like grpc's generated code.</summary>
public static class ClipService
{
    /// <summary>The fully qualified service name.</summary>
    public const string ServiceName = "cctvedge.v1.ClipService";

    /// <summary>Metadata key carrying the node's id on clip calls.</summary>
    public const string NodeIdHeader = "cctvedge-node-id";

    /// <summary>Metadata key carrying the node's credential on clip calls.</summary>
    public const string CredentialHeader = "cctvedge-credential";

    /// <summary>How much of a clip the server holds.</summary>
    public static readonly Method<ClipRef, UploadOffset> GetUploadOffsetMethod = new(
        MethodType.Unary, ServiceName, "GetUploadOffset",
        ProtobufMarshaller.Create(ClipRef.Parser), ProtobufMarshaller.Create(UploadOffset.Parser));

    /// <summary>The resumable upload.</summary>
    public static readonly Method<ClipChunk, UploadReceipt> UploadMethod = new(
        MethodType.ClientStreaming, ServiceName, "Upload",
        ProtobufMarshaller.Create(ClipChunk.Parser), ProtobufMarshaller.Create(UploadReceipt.Parser));

    /// <summary>Binds an implementation to the service's methods.</summary>
    public static ServerServiceDefinition BindService(ClipServiceBase implementation)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        return ServerServiceDefinition.CreateBuilder()
            .AddMethod(GetUploadOffsetMethod, implementation.GetUploadOffset)
            .AddMethod(UploadMethod, implementation.Upload)
            .Build();
    }

    /// <summary>The server side.</summary>
    public abstract class ClipServiceBase
    {
        /// <summary>How much of a clip the server holds.</summary>
        public virtual Task<UploadOffset> GetUploadOffset(ClipRef request, ServerCallContext context) =>
            throw new RpcException(new Status(StatusCode.Unimplemented, ""));

        /// <summary>The resumable upload.</summary>
        public virtual Task<UploadReceipt> Upload(IAsyncStreamReader<ClipChunk> requestStream, ServerCallContext context) =>
            throw new RpcException(new Status(StatusCode.Unimplemented, ""));
    }

    /// <summary>The client side.</summary>
    public sealed class ClipServiceClient(CallInvoker callInvoker)
    {
        /// <summary>Creates a client on a channel.</summary>
        public ClipServiceClient(GrpcChannel channel)
            : this(channel.CreateCallInvoker())
        {
        }

        /// <summary>Asks how much of a clip the server holds.</summary>
        public AsyncUnaryCall<UploadOffset> GetUploadOffsetAsync(ClipRef request, CallOptions options) =>
            callInvoker.AsyncUnaryCall(GetUploadOffsetMethod, null, options, request);

        /// <summary>Starts an upload.</summary>
        public AsyncClientStreamingCall<ClipChunk, UploadReceipt> Upload(CallOptions options) =>
            callInvoker.AsyncClientStreamingCall(UploadMethod, null, options);
    }
}
