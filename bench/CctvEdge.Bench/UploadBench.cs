using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Uplink;
using CctvEdge.Node.Uplink.Policy;
using CctvEdge.Node.Cameras;
using CctvEdge.Protocol.V1;
using CctvEdge.Storage;
using CctvEdge.Harness;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CctvEdge.Bench;

/// <summary>
/// Clip upload throughput end to end (the node's outbox file to the server's clip store: per-chunk and whole-file
/// sha256, fsync, rename, row), side by side with the raw transport's client-stream throughput for the same bytes in
/// the same chunk size, in one run. Each server is its own process; the node side runs the node's own uploader.
/// </summary>
internal static class UploadBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var megabytes = BenchArgs.Option(args, "--megabytes", 256);
        var rounds = BenchArgs.Option(args, "--rounds", 3);
        var bytes = megabytes * 1024L * 1024;
        using var temp = new TempDirectory("cctvedge-bench");
        Directory.CreateDirectory(temp.Combine("server"));
        await using var server = await ServerProcess.StartAsync(temp.Combine("server"));
        await using var interop = ChildProcess.StartDotnet("interop", InteropDll(), ["server", "--port", "0"], temp.Path);
        var interopPort = (await interop.WaitForLineAsync(@"^LISTENING (\d+)", TimeSpan.FromSeconds(60))).Groups[1].Value;

        var database = new SqliteDatabase(temp.Combine("node", "outbox.db"), NullLogger.Instance);
        await database.MigrateAsync(typeof(DurableResultOutbox).Assembly, "CctvEdge.Node.Outbox.Schema.", CancellationToken.None);
        await using var outbox = new DurableResultOutbox(database, 100_000, TimeProvider.System, NullLogger<DurableResultOutbox>.Instance);
        await outbox.StartAsync(temp.Combine("node", "none"), CancellationToken.None);
        var queue = new ClipQueue(database, outbox, TimeProvider.System);
        var serverOptions = Options.Create(new ServerConnectionOptions { Address = server.GrpcAddress.ToString() });
        using var connection = new ServerConnection(serverOptions, Options.Create(new NodeOptions { Id = "bench" }));
        var gate = new UploadGate(UploadPolicy.SendAll, new CameraConfiguration(Options.Create(new CamerasOptions())), queue, TimeProvider.System);
        var uploader = new ClipUploader(queue, outbox, connection, new ResultDelivery(), new UploadStatus(), gate, serverOptions, NullLogger<ClipUploader>.Instance);
        using var session = new NodeService.NodeServiceClient(connection.Channel).Connect();
        await session.RequestStream.WriteAsync(new NodeMessage { Hello = new Hello { NodeId = "bench", ProtocolVersion = 1, Cameras = { new CameraInfo { Id = "cam", Name = "cam" } } } });
        await session.ResponseStream.MoveNext(CancellationToken.None);

        using var rawChannel = UplinkChannel.Create($"http://127.0.0.1:{interopPort}", pinnedCa: null);
        var raw = new TestService.TestServiceClient(rawChannel);
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Split(' ')[..3].Aggregate((a, b) => a + " " + b)}, {Environment.ProcessorCount} cores; {megabytes} MiB per run, {ClipUploader.ChunkSize / 1024} KiB chunks, h2c on 127.0.0.1");
        // Both paths run once before measuring, so tiered JIT compilation does not favour whichever runs later.
        await RawStreamAsync(raw, bytes / 4);
        await ClipUploadAsync(queue, outbox, uploader, session, server.Process.Id, bytes / 4);
        // CPU seconds per GiB, sender (this process) and receiver (the server process): on a small machine both share
        // the same cores, so what the receiver spends on hashing and writing is taken from the sender's throughput.
        Console.WriteLine("| round | raw client-stream MB/s | clip upload MB/s (hashed, fsynced, committed) | ratio | raw CPU s/GiB sender+receiver | clip CPU s/GiB sender+receiver |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var ratios = new List<double>();
        var gibibytes = bytes / (double)(1L << 30);
        for (var round = 1; round <= rounds; round++)
        {
            var rawCpu = CpuMeter.Start(interop.Id);
            var rawRate = await RawStreamAsync(raw, bytes);
            var (rawSender, rawReceiver) = rawCpu.Stop();
            var (clipRate, clipSender, clipReceiver) = await ClipUploadAsync(queue, outbox, uploader, session, server.Process.Id, bytes);
            ratios.Add(clipRate / rawRate);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {round} | {rawRate:0} | {clipRate:0} | {clipRate / rawRate:P0} | {rawSender / gibibytes:0.00}+{rawReceiver / gibibytes:0.00} | {clipSender / gibibytes:0.00}+{clipReceiver / gibibytes:0.00} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median ratio: {ratios.Order().ElementAt(ratios.Count / 2):P0} (goal: at least 50 %)"));
        return 0;
    }

    private static async Task<double> RawStreamAsync(TestService.TestServiceClient client, long bytes)
    {
        var message = new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(ClipUploader.ChunkSize)) } };
        var stopwatch = Stopwatch.StartNew();
        using var call = client.StreamingInputCall();
        for (long sent = 0; sent < bytes; sent += ClipUploader.ChunkSize)
        {
            await call.RequestStream.WriteAsync(message);
        }

        await call.RequestStream.CompleteAsync();
        var received = (await call.ResponseAsync).AggregatedPayloadSize;
        return received / stopwatch.Elapsed.TotalSeconds / 1e6;
    }

    /// <summary>Cuts a clip of random bytes into the outbox, announces it, and times the node's uploader to the receipt.</summary>
    private static async Task<(double Rate, double SenderCpu, double ReceiverCpu)> ClipUploadAsync(ClipQueue queue, DurableResultOutbox outbox, ClipUploader uploader, AsyncDuplexStreamingCall<NodeMessage, ServerMessage> session, int serverPid, long bytes)
    {
        var id = Guid.NewGuid().ToString("N");
        var relative = Path.Combine("clips", id + ".mp4");
        var path = Path.Combine(queue.Directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var file = File.Create(path))
        {
            var block = RandomNumberGenerator.GetBytes(1 << 20);
            for (long written = 0; written < bytes; written += block.Length)
            {
                await file.WriteAsync(block);
            }
        }

        byte[] sha;
        await using (var read = File.OpenRead(path))
        {
            sha = await SHA256.HashDataAsync(read);
        }
        var now = DateTimeOffset.UtcNow;
        await queue.CompleteJobAsync(new PendingClip(id, "cam", "", now.AddSeconds(-60), now, bytes, sha, relative, 0), "bench", null, CancellationToken.None);
        var batch = new ResultBatch();
        batch.Results.AddRange(await outbox.ReadAfterAsync(outbox.AcknowledgedSequence, 100, CancellationToken.None));
        await session.RequestStream.WriteAsync(new NodeMessage { Results = batch });
        await session.ResponseStream.MoveNext(CancellationToken.None);
        outbox.Acknowledge(session.ResponseStream.Current.Ack.Sequence);
        var clip = (await queue.NextToUploadAsync(outbox.AcknowledgedSequence, CancellationToken.None))!;

        var cpu = CpuMeter.Start(serverPid);
        var stopwatch = Stopwatch.StartNew();
        await uploader.UploadAsync(clip, limiter: null, CancellationToken.None);
        var rate = bytes / stopwatch.Elapsed.TotalSeconds / 1e6;
        var (sender, receiver) = cpu.Stop();
        return (rate, sender, receiver);
    }

    private static string InteropDll() =>
        Path.Combine(RepositoryPaths.Root, "tools", "interop", "CctvEdge.Grpc.Interop", "bin", RepositoryPaths.Configuration, "net10.0", "CctvEdge.Grpc.Interop.dll");
}
