using System.Net;
using System.Net.Http.Headers;
using Grpc.Net.Client;
using Grpc.Health.V1;
using static CctvEdge.Grpc.Tests.RawGrpc;

namespace CctvEdge.Grpc.Tests;

/// <summary>
/// Random and mutated traffic against a real server. Bounded for CI (about 20 s of traffic plus a burst of 2000
/// concurrent streams); for a soak run set CCTVEDGE_FUZZ_SECONDS (e.g. 14400) and optionally CCTVEDGE_FUZZ_SEED:
/// <c>CCTVEDGE_FUZZ_SECONDS=14400 dotnet test tests/CctvEdge.Grpc.Tests --filter FullyQualifiedName~FuzzTests</c>.
/// </summary>
public sealed class FuzzTests
{
    private const int MaxMessage = 64 * 1024;
    private static readonly TimeSpan Timeout = RawGrpc.Timeout;
    private static readonly string[] Paths = [EchoService.Unary.FullName, EchoService.Collect.FullName, EchoService.Repeat.FullName, EchoService.Chat.FullName, "/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch", "/no.Such/Method"];
    private static readonly string?[] Encodings = [null, null, "identity", "gzip", "deflate", "snappy"];

    [Fact]
    public async Task Server_RandomAndMutatedTraffic_EveryCallEndsWithStatusAndServerKeepsServing()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("CCTVEDGE_FUZZ_SECONDS"), out var s) ? s : 20;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CCTVEDGE_FUZZ_SEED"), out var fixedSeed) ? fixedSeed : Environment.TickCount;
        await using var server = await TestServer.StartAsync(EchoService.Create(), new TestServerSetup { Grpc = o => o.MaxReceiveMessageSize = MaxMessage, Health = true });
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = true }) { Timeout = Timeout };
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));

        var workers = Enumerable.Range(0, 6).Select(i => FuzzAsync(client, server.Address, new Random(seed + i), stop.Token)).ToList();
        var healthy = WellBehavedClientAsync(server.Channel, stop.Token);
        var counts = await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(seconds + 120));
        var goodCalls = await healthy.WaitAsync(TimeSpan.FromSeconds(120));

        Assert.True(counts.Sum() > 100, $"only {counts.Sum()} hostile requests were made (seed {seed})");
        Assert.True(goodCalls > 10, $"the well-behaved client made only {goodCalls} calls (seed {seed})");
        await ConcurrentStreamsAsync(server.Channel, 2000);
        Assert.Equal("still here", await server.Channel.CreateCallInvoker().AsyncUnaryCall(EchoService.Unary, null, default, "still here").ResponseAsync.WaitAsync(Timeout));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var growth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        Assert.True(growth < 256L * 1024 * 1024, $"the heap grew by {growth / 1024 / 1024} MiB (seed {seed})");
    }

    /// <summary>Hostile requests until told to stop; each must end with a grpc-status or be one we reset ourselves.</summary>
    private static async Task<int> FuzzAsync(HttpClient client, Uri address, Random random, CancellationToken stop)
    {
        var count = 0;
        while (!stop.IsCancellationRequested)
        {
            var path = Paths[random.Next(Paths.Length)];
            var encoding = Encodings[random.Next(Encodings.Length)];
            var kind = random.Next(4);
            count++;
            if (kind == 3)
            {
                await AbortMidStreamAsync(client, address, path, random);
                continue;
            }

            using var response = await SendAsync(client, address, path, kind == 0 ? RandomBytes(random) : MutatedFrame(random), encoding: encoding);
            var status = await ReadStatusAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.OK && status is >= StatusCode.OK and <= StatusCode.Unauthenticated, $"{path}: HTTP {(int)response.StatusCode}, grpc-status {status}");
        }

        return count;
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A valid frame, then damaged: truncated, a wrong length, a stray compressed flag, flipped bytes, or huge.</summary>
    private static byte[] MutatedFrame(Random random)
    {
        var payload = new byte[random.Next(0, 2048)];
        random.NextBytes(payload);
        var frame = random.Next(3) == 0 ? Frame(Gzip(payload), compressed: true) : Frame(payload);
        switch (random.Next(6))
        {
            case 0:
                return frame[..random.Next(frame.Length)];
            case 1:
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)random.Next());
                return frame;
            case 2:
                frame[0] = (byte)random.Next(256);
                return frame;
            case 3:
                for (var i = 0; i < 4; i++)
                {
                    frame[random.Next(frame.Length)] ^= (byte)random.Next(1, 256);
                }

                return frame;
            case 4:
                return [.. frame, .. frame, .. frame[..(frame.Length / 2)]];
            default:
                return Frame(new byte[MaxMessage + 1]);
        }
    }

    /// <summary>Slow-loris and abrupt reset: dribble bytes, then fail the body so HttpClient resets the stream.</summary>
    private static async Task AbortMidStreamAsync(HttpClient client, Uri address, string path, Random random)
    {
        var content = new DribbleContent(Frame(new byte[200]), random.Next(1, 6), TimeSpan.FromMilliseconds(random.Next(10, 200)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TE.ParseAdd("trailers");
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await response.Content.ReadAsByteArrayAsync();
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            // Our own reset: what matters is that the server and the other calls carry on.
        }
    }

    private static async Task<int> WellBehavedClientAsync(GrpcChannel channel, CancellationToken stop)
    {
        var health = new Health.HealthClient(channel);
        var invoker = channel.CreateCallInvoker();
        var calls = 0;
        while (!stop.IsCancellationRequested)
        {
            Assert.Equal("ok" + calls, await invoker.AsyncUnaryCall(EchoService.Unary, null, default, "ok" + calls).ResponseAsync.WaitAsync(Timeout));
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest()).ResponseAsync.WaitAsync(Timeout)).Status);
            calls++;
            await Task.Delay(50, CancellationToken.None);
        }

        return calls;
    }

    /// <summary>Thousands of open streams at once (over several connections), all cancelled: each ends CANCELLED.</summary>
    private static async Task ConcurrentStreamsAsync(GrpcChannel channel, int count)
    {
        using var cancel = new CancellationTokenSource();
        var invoker = channel.CreateCallInvoker();
        var calls = Enumerable.Range(0, count).Select(_ => invoker.AsyncDuplexStreamingCall(EchoService.Chat, null, new CallOptions(cancellationToken: cancel.Token))).ToList();
        await Task.WhenAll(calls.Take(50).Select(async c =>
        {
            await c.RequestStream.WriteAsync("hi");
            Assert.True(await c.ResponseStream.MoveNext(CancellationToken.None));
        })).WaitAsync(TimeSpan.FromSeconds(60));
        await cancel.CancelAsync();
        foreach (var call in calls)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));
            Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
            call.Dispose();
        }
    }

    private sealed class DribbleContent(byte[] body, int chunks, TimeSpan pause) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var i = 0; i < chunks; i++)
            {
                await stream.WriteAsync(body.AsMemory(i, 1));
                await stream.FlushAsync();
                await Task.Delay(pause);
            }

            throw new IOException("The fuzzer drops the request mid-stream.");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
