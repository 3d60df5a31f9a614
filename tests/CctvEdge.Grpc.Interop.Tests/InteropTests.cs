using static CctvEdge.Grpc.Interop.Tests.InteropPeers;

namespace CctvEdge.Grpc.Interop.Tests;

/// <summary>
/// grpc/doc/interop-test-descriptions.md in both directions: our client against grpc-js and grpcio servers, and
/// their clients against our server, over h2c and TLS. Compressed cases run where the peer supports them.
/// </summary>
public sealed class InteropTests(InteropPeers peers) : IClassFixture<InteropPeers>
{
    private static readonly string[] CoreCases =
    [
        "empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream",
        "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server", "status_code_and_message",
        "special_status_message", "custom_metadata", "unimplemented_method",
    ];

    private static readonly string[] ClientCompressed = ["client_compressed_unary", "client_compressed_streaming"];
    private static readonly string[] ServerCompressed = ["server_compressed_unary", "server_compressed_streaming"];

    /// <summary>
    /// Which cases each pair runs. The client_compressed cases need a server that can see whether a request came
    /// compressed: ours can, grpc-js and grpcio servers cannot. Of the foreign servers only grpcio compresses
    /// responses per call, so server_compressed runs against it and not against grpc-js.
    /// </summary>
    private static readonly (string Client, string Server, string[] Cases)[] Pairs =
    [
        (CSharp, GrpcJs, CoreCases),
        (CSharp, Grpcio, [.. CoreCases, .. ServerCompressed]),
        (GrpcJs, CSharp, [.. CoreCases, .. ClientCompressed, .. ServerCompressed]),
        (Grpcio, CSharp, [.. CoreCases, .. ClientCompressed, .. ServerCompressed]),
    ];

    public static TheoryData<string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var (client, server, cases) in Pairs)
        {
            foreach (var transport in new[] { "h2c", "tls" })
            {
                foreach (var testCase in cases)
                {
                    data.Add(testCase, client, server, transport);
                }
            }
        }

        return data;
    }

    [Fact]
    public async Task ServerReflection_GrpcJsClient_DescribesAMethodFromTheDescriptorsAlone()
    {
        var output = await peers.RunJsReflectionAsync("grpc.testing.TestService.UnaryCall").WaitAsync(TimeSpan.FromMinutes(4));

        Assert.Contains("SERVICES grpc.testing.TestService,grpc.health.v1.Health,grpc.reflection.v1alpha.ServerReflection,grpc.reflection.v1.ServerReflection", output, StringComparison.Ordinal);
        // test.proto first, then what it imports, each once.
        Assert.Contains("FILES grpc/testing/test.proto,grpc/testing/empty.proto,grpc/testing/messages.proto", output, StringComparison.Ordinal);
        Assert.Contains("METHOD UnaryCall .grpc.testing.SimpleRequest -> .grpc.testing.SimpleResponse", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InteropCase_ClientAgainstServer_Passes(string testCase, string client, string server, string transport)
    {
        var cases = Pairs.Single(p => p.Client == client && p.Server == server).Cases;

        var line = await peers.RunAsync(client, server, transport == "tls", testCase, cases).WaitAsync(TimeSpan.FromMinutes(4));

        Assert.Equal($"PASS {testCase}", line);
    }
}
