using CctvEdge.Grpc.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace CctvEdge.Grpc.Tests;

public sealed class ReflectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private TestServer? _server;
    private AsyncDuplexStreamingCall<ServerReflectionRequest, ServerReflectionResponse>? _call;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(ServerReflection.BindService(new ReflectionServiceImpl(Health.Descriptor)));
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

        Assert.Equal(["grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"], response.ListServicesResponse.Service.Select(s => s.Name).Order());
    }

    [Fact]
    public async Task FileContainingSymbol_Method_FileThatRebuildsIntoTheService()
    {
        var response = await AskAsync(new ServerReflectionRequest { Host = "localhost", FileContainingSymbol = "grpc.health.v1.Health.Watch" });

        // What grpcurl does with the answer: build descriptors from the bytes alone, then find the method's types.
        var files = FileDescriptor.BuildFromByteStrings(response.FileDescriptorResponse.FileDescriptorProto.Reverse());
        var health = files.Single(f => f.Name == "grpc/health/v1/health.proto");
        var watch = health.FindTypeByName<ServiceDescriptor>("Health").FindMethodByName("Watch");
        Assert.True(watch.IsServerStreaming);
        Assert.Equal("grpc.health.v1.HealthCheckResponse", watch.OutputType.FullName);
        Assert.Equal("localhost", response.ValidHost);
        Assert.Equal("grpc.health.v1.Health.Watch", response.OriginalRequest.FileContainingSymbol);
    }

    [Fact]
    public async Task FileContainingSymbol_NestedEnumThenFileByName_SameFile()
    {
        var bySymbol = await AskAsync(new ServerReflectionRequest { FileContainingSymbol = "grpc.health.v1.HealthCheckResponse.ServingStatus" });
        var byName = await AskAsync(new ServerReflectionRequest { FileByFilename = "grpc/health/v1/health.proto" });

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
        Assert.Contains("no.such.Service", unknown.ErrorResponse.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal((int)StatusCode.NotFound, extension.ErrorResponse.ErrorCode);
        Assert.Equal(2, after.ListServicesResponse.Service.Count);
    }

    private async Task<ServerReflectionResponse> AskAsync(ServerReflectionRequest request)
    {
        await _call!.RequestStream.WriteAsync(request).WaitAsync(Timeout);
        Assert.True(await _call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
        return _call.ResponseStream.Current;
    }
}
