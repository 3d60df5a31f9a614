using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace CctvEdge.Grpc.Tests;

public sealed class ReflectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    /// <summary>What reflection lists: the services with descriptors (the echo service has none: it is not from a .proto).</summary>
    private static readonly string[] Served = ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];
    /// <summary>The file name Grpc.HealthCheck's compiled descriptor carries (protoc was given the bare file name).</summary>
    private const string HealthFile = "health.proto";
    private TestServer? _server;
    private AsyncDuplexStreamingCall<ServerReflectionRequest, ServerReflectionResponse>? _call;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(EchoService.Create(), new TestServerSetup { Health = true });
        _call = new ServerReflection.ServerReflectionClient(_server.Channel).ServerReflectionInfo();
    }

    public async Task DisposeAsync()
    {
        _call?.Dispose();
        await _server!.DisposeAsync();
    }

    [Fact]
    public async Task ListServices_Answers_TheServicesAndReflectionItself()
    {
        var response = await AskAsync(new ServerReflectionRequest { ListServices = "*" });

        Assert.Equal(Served, response.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListServices_V1Client_SameServicesAsV1Alpha()
    {
        using var call = new global::Grpc.Reflection.V1.ServerReflection.ServerReflectionClient(_server!.Channel).ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1.ServerReflectionRequest { ListServices = "" }).WaitAsync(Timeout);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(Served, call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FileContainingSymbol_Method_FileThatRebuildsIntoTheService()
    {
        var response = await AskAsync(new ServerReflectionRequest { Host = "localhost", FileContainingSymbol = "grpc.health.v1.Health.Watch" });

        // What grpcurl does with the answer: build descriptors from the bytes alone, then find the method's types.
        var files = FileDescriptor.BuildFromByteStrings(response.FileDescriptorResponse.FileDescriptorProto.Reverse());
        var health = files.Single(f => f.Name == HealthFile);
        var watch = health.FindTypeByName<ServiceDescriptor>("Health").FindMethodByName("Watch");
        Assert.True(watch.IsServerStreaming);
        Assert.Equal("grpc.health.v1.HealthCheckResponse", watch.OutputType.FullName);
    }

    [Fact]
    public async Task FileContainingSymbol_NestedEnumThenFileByName_SameFile()
    {
        var bySymbol = await AskAsync(new ServerReflectionRequest { FileContainingSymbol = "grpc.health.v1.HealthCheckResponse.ServingStatus" });
        var byName = await AskAsync(new ServerReflectionRequest { FileByFilename = HealthFile });

        Assert.Equal(HealthReflection.Descriptor.SerializedData, bySymbol.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal(bySymbol.FileDescriptorResponse, byName.FileDescriptorResponse);
    }

    [Fact]
    public async Task FileContainingSymbol_Unknown_NotFoundAndTheStreamGoesOn()
    {
        var unknown = await AskAsync(new ServerReflectionRequest { FileContainingSymbol = "no.such.Service" });
        var extension = await AskAsync(new ServerReflectionRequest { AllExtensionNumbersOfType = "grpc.health.v1.HealthCheckRequest" });
        var after = await AskAsync(new ServerReflectionRequest { ListServices = "" });

        Assert.Equal((int)StatusCode.NotFound, unknown.ErrorResponse.ErrorCode);
        Assert.Contains("not found", unknown.ErrorResponse.ErrorMessage, StringComparison.OrdinalIgnoreCase);
        // Grpc.Reflection does not list extensions (proto3 has none to list): UNIMPLEMENTED, and the stream goes on.
        Assert.Equal((int)StatusCode.Unimplemented, extension.ErrorResponse.ErrorCode);
        Assert.Equal(Served.Length, after.ListServicesResponse.Service.Count);
    }

    private async Task<ServerReflectionResponse> AskAsync(ServerReflectionRequest request)
    {
        await _call!.RequestStream.WriteAsync(request).WaitAsync(Timeout);
        Assert.True(await _call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        return _call.ResponseStream.Current;
    }
}
