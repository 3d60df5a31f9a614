using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Data.Sqlite;

namespace CctvEdge.Bench;

/// <summary>
/// Sensors at farm scale against a real server process. Ingest: N nodes (50), each with M sensors (10) reading once a
/// second, each node one session sending one batch a second, as the agent's outbox does; prints the readings stored a
/// second, the server's CPU per reading and the acknowledgement delay. A year of charts is timed by the end-to-end
/// SensorChartPerformanceTests (the API and Chromium), which scripts/bench-sensors.sh runs after this.
/// </summary>
internal static class SensorBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var nodes = BenchArgs.Option(args, "--nodes", 50);
        var sensors = BenchArgs.Option(args, "--sensors", 10);
        var seconds = BenchArgs.Option(args, "--seconds", 60);
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Split(' ')[..3].Aggregate((a, b) => a + " " + b)}, {Environment.ProcessorCount} cores");
        using var temp = new TempDirectory("cctvedge-bench-sensors");
        await using var server = await ServerProcess.StartAsync(temp.Path);
        var database = Path.Combine(temp.Path, "cctvedge.db");
        await IngestAsync(server, nodes, sensors, seconds, database);
        return 0;
    }

    private static async Task IngestAsync(ServerProcess server, int nodes, int sensors, int seconds, string database)
    {
        var delays = new ConcurrentBag<double>();
        var channels = Enumerable.Range(0, nodes).Select(_ => GrpcChannel.ForAddress(server.GrpcAddress)).ToList();
        var sessions = new List<AsyncDuplexStreamingCall<NodeMessage, ServerMessage>>();
        for (var n = 0; n < nodes; n++)
        {
            var session = new NodeService.NodeServiceClient(channels[n]).Connect();
            var hello = new Hello { NodeId = $"node{n:00}", NodeName = $"Node {n}", ProtocolVersion = 1 };
            hello.Sensors.AddRange(Enumerable.Range(0, sensors).Select(s => new SensorInfo { Id = $"s{s}", Name = $"Sensor {s}", PluginId = "sense", Kind = "bme280", State = PluginState.Running }));
            await session.RequestStream.WriteAsync(new NodeMessage { Hello = hello });
            await session.ResponseStream.MoveNext(CancellationToken.None);
            sessions.Add(session);
        }

        var bytesBefore = DatabaseBytes(database);
        var cpuBefore = ProcessCpu.Seconds(server.Process.Id);
        var clock = Stopwatch.StartNew();
        // Nodes spread over the second, as independent boxes are.
        await Task.WhenAll(sessions.Select((session, n) => Task.Run(async () =>
        {
            for (var tick = 0; tick < seconds; tick++)
            {
                var due = TimeSpan.FromSeconds(tick) + (TimeSpan.FromSeconds(1) * n / nodes) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }

                var at = DateTimeOffset.UtcNow;
                var batch = new ResultBatch();
                batch.Results.AddRange(Enumerable.Range(0, sensors).Select(s => new Result
                {
                    Sequence = (ulong)((tick * sensors) + s + 1),
                    PluginId = "sense",
                    SensorId = $"s{s}",
                    ProducedAt = Timestamp.FromDateTimeOffset(at),
                    Measurement = new Measurement { Name = "temperature", Value = 20 + Math.Sin(tick / 60.0) + s, Unit = "°C", At = Timestamp.FromDateTimeOffset(at) },
                }));
                var sent = Stopwatch.StartNew();
                await session.RequestStream.WriteAsync(new NodeMessage { Results = batch });
                while (await session.ResponseStream.MoveNext(CancellationToken.None) && session.ResponseStream.Current.BodyCase != ServerMessage.BodyOneofCase.Ack)
                {
                }

                delays.Add(sent.Elapsed.TotalMilliseconds);
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = ProcessCpu.Seconds(server.Process.Id) - cpuBefore;
        foreach (var session in sessions)
        {
            await session.RequestStream.CompleteAsync();
            session.Dispose();
        }

        channels.ForEach(c => c.Dispose());
        var readings = nodes * sensors * seconds;
        var sorted = delays.Order().ToList();
        Console.WriteLine();
        Console.WriteLine("| ingest | readings | readings/s | server CPU (% of one core) | server CPU µs/reading | ack delay p50 / p95 / max (ms) |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {nodes} nodes × {sensors} sensors × 1 Hz, {seconds} s | {readings} | {readings / elapsed:0} | {cpu / elapsed * 100:0.0} | {cpu / readings * 1e6:0} | {Percentile(sorted, 0.5):0.0} / {Percentile(sorted, 0.95):0.0} / {sorted[^1]:0.0} |"));
        // What a reading costs on disk with its share of the rollups: what Sensors:RawDays means in gigabytes.
        var grown = DatabaseBytes(database) - bytesBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"database grew {grown / 1048576.0:0.0} MiB: {grown / (double)readings:0.0} bytes a reading, raw and rollups"));
    }

    /// <summary>The database's size as a reader sees it (pages in the WAL included).</summary>
    private static long DatabaseBytes(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";
        return (long)command.ExecuteScalar()!;
    }


    private static double Percentile(IReadOnlyList<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
