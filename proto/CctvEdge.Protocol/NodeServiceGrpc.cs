using CctvEdge.Grpc;
using CctvEdge.Grpc.Client;

namespace CctvEdge.Protocol.V1;

/// <summary>The typed layer for <c>cctvedge.v1.NodeService</c>, shaped like grpc's generated code.</summary>
public static class NodeService
{
    /// <summary>The fully qualified service name.</summary>
    public const string ServiceName = "cctvedge.v1.NodeService";

    /// <summary>The session stream.</summary>
    public static readonly Method<NodeMessage, ServerMessage> ConnectMethod = new(
        MethodType.DuplexStreaming, ServiceName, "Connect",
        ProtobufMarshaller.Create(NodeMessage.Parser), ProtobufMarshaller.Create(ServerMessage.Parser));

    /// <summary>The reachability and version check.</summary>
    public static readonly Method<GetServerInfoRequest, ServerInfo> GetServerInfoMethod = new(
        MethodType.Unary, ServiceName, "GetServerInfo",
        ProtobufMarshaller.Create(GetServerInfoRequest.Parser), ProtobufMarshaller.Create(ServerInfo.Parser));

    /// <summary>Binds an implementation to the service's methods.</summary>
    public static ServerServiceDefinition BindService(NodeServiceBase implementation)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        return ServerServiceDefinition.CreateBuilder()
            .AddMethod(ConnectMethod, implementation.Connect)
            .AddMethod(GetServerInfoMethod, implementation.GetServerInfo)
            .Build();
    }

    /// <summary>The server side: override the methods the server implements.</summary>
    public abstract class NodeServiceBase
    {
        /// <summary>The node's session.</summary>
        public virtual Task Connect(IAsyncStreamReader<NodeMessage> requestStream, IServerStreamWriter<ServerMessage> responseStream, ServerCallContext context) =>
            throw new RpcException(new Status(StatusCode.Unimplemented, ""));

        /// <summary>The version check.</summary>
        public virtual Task<ServerInfo> GetServerInfo(GetServerInfoRequest request, ServerCallContext context) =>
            throw new RpcException(new Status(StatusCode.Unimplemented, ""));
    }

    /// <summary>The client side.</summary>
    public sealed class NodeServiceClient(CallInvoker callInvoker)
    {
        /// <summary>Creates a client on a channel.</summary>
        public NodeServiceClient(GrpcChannel channel)
            : this(channel.CreateCallInvoker())
        {
        }

        /// <summary>Opens the session stream.</summary>
        public AsyncDuplexStreamingCall<NodeMessage, ServerMessage> Connect(Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default) =>
            Connect(new CallOptions(headers, deadline, cancellationToken));

        /// <summary>Opens the session stream.</summary>
        public AsyncDuplexStreamingCall<NodeMessage, ServerMessage> Connect(CallOptions options) =>
            callInvoker.AsyncDuplexStreamingCall(ConnectMethod, null, options);

        /// <summary>Asks the server for its version.</summary>
        public AsyncUnaryCall<ServerInfo> GetServerInfoAsync(GetServerInfoRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default) =>
            GetServerInfoAsync(request, new CallOptions(headers, deadline, cancellationToken));

        /// <summary>Asks the server for its version.</summary>
        public AsyncUnaryCall<ServerInfo> GetServerInfoAsync(GetServerInfoRequest request, CallOptions options) =>
            callInvoker.AsyncUnaryCall(GetServerInfoMethod, null, options, request);
    }
}
