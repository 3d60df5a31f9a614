using System.Collections.Generic;

namespace CctvEdge.Grpc.Generator;

/// <summary>What the generator needs from one .proto file: its names and its services, not its fields.</summary>
internal sealed class ProtoFile
{
    public ProtoFile(string path, string package, string csharpNamespace, IReadOnlyList<string> types, IReadOnlyList<ProtoService> services, string? error)
    {
        Path = path;
        Package = package;
        CSharpNamespace = csharpNamespace;
        Types = types;
        Services = services;
        Error = error;
    }

    public string Path { get; }

    public string Package { get; }

    public string CSharpNamespace { get; }

    /// <summary>Messages and enums, dotted within the file (<c>Outer.Inner</c>).</summary>
    public IReadOnlyList<string> Types { get; }

    public IReadOnlyList<ProtoService> Services { get; }

    /// <summary>Why the file could not be read; null when it was.</summary>
    public string? Error { get; }
}

internal sealed class ProtoService
{
    public ProtoService(string name, IReadOnlyList<ProtoRpc> methods)
    {
        Name = name;
        Methods = methods;
    }

    public string Name { get; }

    public IReadOnlyList<ProtoRpc> Methods { get; }
}

internal sealed class ProtoRpc
{
    public ProtoRpc(string name, string requestType, bool clientStreaming, string responseType, bool serverStreaming)
    {
        Name = name;
        RequestType = requestType;
        ClientStreaming = clientStreaming;
        ResponseType = responseType;
        ServerStreaming = serverStreaming;
    }

    public string Name { get; }

    public string RequestType { get; }

    public bool ClientStreaming { get; }

    public string ResponseType { get; }

    public bool ServerStreaming { get; }

    public string MethodType =>
        (ClientStreaming, ServerStreaming) switch
        {
            (false, false) => "Unary",
            (true, false) => "ClientStreaming",
            (false, true) => "ServerStreaming",
            _ => "DuplexStreaming",
        };
}
