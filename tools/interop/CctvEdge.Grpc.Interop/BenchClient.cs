using System.Diagnostics;
using System.Globalization;
using CctvEdge.Node.Uplink;
using Google.Protobuf;
using Grpc.Testing;

namespace CctvEdge.Grpc.Interop;

/// <summary>
/// The benchmark's client side (scripts/bench-grpc.sh): unary calls/s with 1 and 16 callers, then client- and
/// server-streaming MB/s with 64 KiB messages, against any interop TestService server. Prints one RESULT line.
/// </summary>
internal static class BenchClient
{
    private const int ChunkSize = 64 * 1024;

    public static async Task<int> RunAsync(Dictionary<string, string> options)
    {
        var seconds = double.Parse(options.GetValueOrDefault("seconds", "3"), CultureInfo.InvariantCulture);
        var streamMessages = int.Parse(options.GetValueOrDefault("messages", "2048"), CultureInfo.InvariantCulture);
        using var channel = UplinkChannel.Create(options["address"], pinnedCa: null);
        var client = new TestService.TestServiceClient(channel);
        await UnaryAsync(client, 1, 0.5);
        var unary1 = await UnaryAsync(client, 1, seconds);
        var unary16 = await UnaryAsync(client, 16, seconds);
        var allocated = await AllocationPerCallAsync(client);
        var upload = await ClientStreamAsync(client, streamMessages);
        var download = await ServerStreamAsync(client, streamMessages);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {unary1:0} {unary16:0} {upload:0} {download:0} {allocated:0}"));
        return 0;
    }

    private static async Task<double> UnaryAsync(TestService.TestServiceClient client, int callers, double seconds)
    {
        var request = new SimpleRequest();
        var stopwatch = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        var counts = await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
        {
            var calls = 0;
            while (stopwatch.Elapsed < until)
            {
                await client.UnaryCallAsync(request);
                calls++;
            }

            return calls;
        }));
        return counts.Sum() / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Bytes allocated by this whole process per unary call, one caller (the server's share too when in-process).</summary>
    private static async Task<double> AllocationPerCallAsync(TestService.TestServiceClient client)
    {
        const int Calls = 5000;
        var request = new SimpleRequest();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Calls; i++)
        {
            await client.UnaryCallAsync(request);
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Calls;
    }

    private static async Task<double> ClientStreamAsync(TestService.TestServiceClient client, int messages)
    {
        var message = new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[ChunkSize]) } };
        var stopwatch = Stopwatch.StartNew();
        using var call = client.StreamingInputCall();
        for (var i = 0; i < messages; i++)
        {
            await call.RequestStream.WriteAsync(message);
        }

        await call.RequestStream.CompleteAsync();
        var received = (await call.ResponseAsync).AggregatedPayloadSize;
        return received / stopwatch.Elapsed.TotalSeconds / 1e6;
    }

    private static async Task<double> ServerStreamAsync(TestService.TestServiceClient client, int messages)
    {
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.AddRange(Enumerable.Range(0, messages).Select(_ => new ResponseParameters { Size = ChunkSize }));
        var stopwatch = Stopwatch.StartNew();
        using var call = client.StreamingOutputCall(request);
        long bytes = 0;
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            bytes += response.Payload.Body.Length;
        }

        return bytes / stopwatch.Elapsed.TotalSeconds / 1e6;
    }
}
