using CctvEdge.Grpc.Generator;

namespace CctvEdge.Grpc.Tests;

public sealed class GeneratorTests
{
    private const string Proto = """
        syntax = "proto3";
        // A comment with service Fake { rpc Nope(A) returns (B); }
        package farm.camera_v2;
        import "google/protobuf/empty.proto";
        message Clip { message Chunk { bytes data = 1; } oneof body { string id = 2; } map<string, string> tags = 3; }
        enum Kind { KIND_UNSPECIFIED = 0; }
        /* block comment */
        service ClipStore {
          rpc Put(stream Clip.Chunk) returns (google.protobuf.Empty);
          rpc Get(Clip) returns (stream .farm.camera_v2.Clip.Chunk) { option deprecated = true; }
          rpc Sync(stream Clip) returns (stream Clip);
          rpc Ping(google.protobuf.Empty) returns (Clip);
        }
        """;

    [Fact]
    public void Parse_ServiceWithNestedTypesAndComments_ReadsNamesAndStreaming()
    {
        var file = ProtoParser.Parse("clip.proto", Proto);

        Assert.Null(file.Error);
        Assert.Equal("farm.camera_v2", file.Package);
        Assert.Equal("Farm.CameraV2", file.CSharpNamespace);
        Assert.Equal(["Clip", "Clip.Chunk", "Kind"], file.Types);
        var service = Assert.Single(file.Services);
        Assert.Equal("ClipStore", service.Name);
        Assert.Equal(["ClientStreaming", "ServerStreaming", "DuplexStreaming", "Unary"], service.Methods.Select(m => m.MethodType));
        Assert.Equal(".farm.camera_v2.Clip.Chunk", service.Methods[1].ResponseType);
    }

    [Fact]
    public void Parse_CsharpNamespaceOption_Wins()
    {
        var file = ProtoParser.Parse("x.proto", "package a.b; option csharp_namespace = \"My.Space\"; message M {}");

        Assert.Equal("My.Space", file.CSharpNamespace);
    }

    [Fact]
    public void Parse_UnbalancedBraces_ReportsError()
    {
        var file = ProtoParser.Parse("bad.proto", "package a; message M { } }");

        Assert.NotNull(file.Error);
    }

    [Fact]
    public void Emit_ClientStreamingMethod_ShapedLikeGrpcGeneratedCode()
    {
        var file = ProtoParser.Parse("clip.proto", Proto);

        var code = TypedLayerEmitter.Emit(file, reference => "global::T." + reference.TrimStart('.').Replace('.', '_'));

        Assert.Contains("namespace Farm.CameraV2;", code, StringComparison.Ordinal);
        Assert.Contains("public const string ServiceName = \"farm.camera_v2.ClipStore\";", code, StringComparison.Ordinal);
        Assert.Contains("PutMethod = new(", code, StringComparison.Ordinal);
        Assert.Contains("public abstract partial class ClipStoreBase", code, StringComparison.Ordinal);
        Assert.Contains("AsyncClientStreamingCall<global::T.Clip_Chunk, global::T.google_protobuf_Empty> Put(", code, StringComparison.Ordinal);
        Assert.Contains("AsyncUnaryCall<global::T.Clip> PingAsync(global::T.google_protobuf_Empty request,", code, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("grpc/health/v1/health.proto", "HealthReflection")]
    [InlineData("interop_messages.proto", "InteropMessagesReflection")]
    [InlineData("camera-v2beta.proto", "CameraV2BetaReflection")]
    [InlineData("dir/Node.proto", "NodeReflection")]
    public void ReflectionClass_FileName_NamedAsProtocNamesIt(string path, string expected)
    {
        Assert.Equal(expected, TypedLayerEmitter.ReflectionClass(path));
    }
}
