using System.Diagnostics;
using System.Globalization;
using CctvEdge.Harness;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Uplink;
using CctvEdge.Storage;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Bench.Fleet;

/// <summary>
/// Simulated nodes against a real server process, speaking the real protocol with the agent's own result sender.
/// <c>--backlog B</c>: each node's real SQLite outbox holds B results when its session opens (a node back from an
/// outage); prints how fast it drains. Otherwise N nodes produce R results a second between them for S seconds.
/// Both print results/s persisted, ack latency p50/p99 and the server's CPU and memory, and check the server's rows.
/// <c>--database sqlite|postgres|both</c> picks the engine of the server the run starts (both: side by side);
/// <c>--server URL</c> sends to servers already running instead (replicas behind a load balancer), and
/// <c>--server-database postgres:CONNECTION</c> lets it check their rows.
/// </summary>
internal static class FleetBench
{
    /// <summary>What the node's sender did before issue 17: batches of 200 results, at most 2000 ahead of the acks.</summary>
    private static readonly ResultSendLimits Before = new(200, 1024 * 1024, 2000);

    public static async Task<int> RunAsync(string[] args)
    {
        var backlog = BenchArgs.Option(args, "--backlog", 0);
        var nodes = BenchArgs.Option(args, "--nodes", backlog > 0 ? 1 : 50);
        var rate = BenchArgs.Option(args, "--results-per-second", 20_000);
        var seconds = BenchArgs.Option(args, "--seconds", 30);
        var serverDll = BenchArgs.Text(args, "--server-dll", RepositoryPaths.ServerDll);
        var referenceDll = BenchArgs.Text(args, "--reference-server-dll", "");
        var remote = BenchArgs.Text(args, "--server", "");
        var remoteDatabase = BenchArgs.Text(args, "--server-database", "");
        var engines = BenchArgs.Text(args, "--database", "both") switch
        {
            "both" => new[] { "sqlite", "postgres" },
            var one when one is "sqlite" or "postgres" => [one],
            var other => throw new ArgumentException($"--database must be sqlite, postgres or both (was '{other}')."),
        };
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Split(' ')[..3].Aggregate((a, b) => a + " " + b)}, {Environment.ProcessorCount} cores; "
            + (remote.Length > 0 ? $"servers at {remote}" : "h2c on 127.0.0.1; PostgreSQL 15 on 127.0.0.1 with fsync on"));
        Console.WriteLine("| run | database | nodes | results | seconds | results/s persisted | ack p50 / p99 (ms) | server CPU (% of one core) | database CPU (%) | server memory now / peak (MiB) | simulated nodes' CPU (%) | rows check |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        var run = new FleetRun(ResultSendLimits.Default, nodes, backlog, rate, seconds);
        var label = $"this build: batches of {ResultSendLimits.Default.BatchSize}, {ResultSendLimits.Default.MaxInFlight} ahead";
        if (remote.Length > 0)
        {
            await using var servers = FleetServer.Remote(new Uri(remote), remoteDatabase);
            await RunOnceAsync("servers already running: " + label, servers, run);
            return 0;
        }

        using var temp = new TempDirectory("cctvedge-bench-fleet");
        if (referenceDll.Length > 0)
        {
            await using var reference = await FleetServer.StartAsync(referenceDll, temp.Combine("reference"), "sqlite");
            await RunOnceAsync("before: reference server, node batches of 200, 2000 ahead", reference, run with { Limits = Before });
        }

        foreach (var engine in engines)
        {
            await using var server = await FleetServer.StartAsync(serverDll, temp.Combine(engine), engine);
            await RunOnceAsync(label, server, run);
        }

        return 0;
    }

    private static async Task RunOnceAsync(string label, FleetServer server, FleetRun run)
    {
        using var temp = new TempDirectory("cctvedge-bench-fleet-nodes");
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        // Node ids of their own per run: servers already running keep the nodes of earlier runs.
        var prefix = $"fleet-{DateTime.UtcNow:HHmmss}{Random.Shared.Next(100):00}-";
        var outboxes = new List<IAsyncDisposable>();
        try
        {
            var nodes = new List<SimulatedNode>();
            for (var n = 0; n < run.Nodes; n++)
            {
                IResultOutbox outbox = run.Backlog > 0 ? await FilledOutboxAsync(temp.Combine($"node{n}"), run.Backlog, outboxes) : new MemoryOutbox();
                nodes.Add(new SimulatedNode($"{prefix}{n:000}", channel, outbox, run.Limits));
            }

            var gauge = new ServerGauge(server.ServerProcessId, server.DatabaseProcessId);
            var nodeCpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            double elapsed;
            (double Server, double Database) cpu;
            long results;
            TimeSpan nodeCpu;
            if (run.Backlog > 0)
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
                await Task.WhenAll(nodes.Select(node => node.RunAsync(node.Outbox.LastSequence, limit.Token)));
                (elapsed, cpu, nodeCpu) = (clock.Elapsed.TotalSeconds, gauge.CpuSeconds(), Process.GetCurrentProcess().TotalProcessorTime - nodeCpuStart);
                results = (long)run.Backlog * run.Nodes;
            }
            else
            {
                (elapsed, results, cpu, nodeCpu) = await SteadyRateAsync(nodes, run.Rate, run.Seconds, gauge, nodeCpuStart);
            }

            var (resident, peak) = gauge.MemoryMiB();
            var acks = nodes.SelectMany(n => n.AckMilliseconds).Order().ToList();
            var check = RowsCheck(await server.CountMeasurementsAsync(prefix), nodes.Select(n => (long)n.Outbox.AcknowledgedSequence));
            var serverCpu = server.ServerProcessId is null ? "not measured" : string.Create(CultureInfo.InvariantCulture, $"{cpu.Server / elapsed * 100:0}");
            var databaseCpu = server.DatabaseProcessId is null ? (server.ServerProcessId is null ? "not measured" : "in the server") : string.Create(CultureInfo.InvariantCulture, $"{cpu.Database / elapsed * 100:0}");
            var memory = server.ServerProcessId is null ? "not measured" : string.Create(CultureInfo.InvariantCulture, $"{resident:0} / {peak:0}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {server.Engine} | {run.Nodes} | {results} | {elapsed:0.0} | {results / elapsed:0} | {Percentile(acks, 0.5):0.0} / {Percentile(acks, 0.99):0.0} | {serverCpu} | {databaseCpu} | {memory} | {nodeCpu.TotalSeconds / elapsed * 100:0} | {check} |"));
        }
        finally
        {
            foreach (var outbox in outboxes)
            {
                await outbox.DisposeAsync();
            }
        }
    }

    /// <summary>The node's own outbox with <paramref name="count"/> results appended as plugins append them (group commits).</summary>
    private static async Task<IResultOutbox> FilledOutboxAsync(string directory, int count, List<IAsyncDisposable> owned)
    {
        var database = new SqliteDatabase(Path.Combine(directory, "outbox.db"), NullLogger.Instance);
        await database.MigrateAsync(typeof(DurableResultOutbox).Assembly, "CctvEdge.Node.Outbox.Schema.", CancellationToken.None);
        var outbox = new DurableResultOutbox(database, count * 2, TimeProvider.System, NullLogger<DurableResultOutbox>.Instance);
        owned.Add(outbox);
        await outbox.StartAsync(Path.Combine(directory, "none"), CancellationToken.None);
        var start = DateTimeOffset.UtcNow.AddSeconds(-count);
        for (var first = 0; first < count; first += 2000)
        {
            await Task.WhenAll(Enumerable.Range(first, Math.Min(2000, count - first))
                .Select(i => outbox.AppendAsync(FleetResults.Make(i, start.AddSeconds(i)), CancellationToken.None).AsTask()));
        }

        return outbox;
    }

    /// <summary>Each node appends its share of <paramref name="rate"/> every 100 ms; returns the window, what was acknowledged in it and the CPU spent in it.</summary>
    private static async Task<(double Elapsed, long Results, (double Server, double Database) Cpu, TimeSpan NodeCpu)> SteadyRateAsync(List<SimulatedNode> nodes, int rate, int seconds, ServerGauge gauge, TimeSpan nodeCpuStart)
    {
        using var stop = new CancellationTokenSource();
        var sessions = nodes.Select(node => node.RunAsync(ulong.MaxValue, stop.Token)).ToList();
        var clock = Stopwatch.StartNew();
        var perTick = Math.Max(1, rate / 10 / nodes.Count);
        var producing = nodes.Select((node, n) => Task.Run(async () =>
        {
            var index = 0L;
            for (var tick = 0; tick < seconds * 10; tick++)
            {
                var due = TimeSpan.FromMilliseconds(100 * tick) + (TimeSpan.FromMilliseconds(100) * n / nodes.Count) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }

                for (var i = 0; i < perTick; i++, index++)
                {
                    await node.Outbox.AppendAsync(FleetResults.Make(index, DateTimeOffset.UtcNow), CancellationToken.None);
                }
            }
        })).ToList();
        await Task.WhenAll(producing);
        var elapsed = clock.Elapsed.TotalSeconds;
        var acknowledged = nodes.Sum(n => (long)n.Outbox.AcknowledgedSequence);
        var (cpu, nodeCpu) = (gauge.CpuSeconds(), Process.GetCurrentProcess().TotalProcessorTime - nodeCpuStart);
        // Let what is still in flight land, so the rows check compares whole numbers.
        var drained = Stopwatch.StartNew();
        while (nodes.Any(n => n.Outbox.AcknowledgedSequence < n.Outbox.LastSequence) && drained.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(sessions);
        return (elapsed, acknowledged, cpu, nodeCpu);
    }

    /// <summary>
    /// Measurement rows on the server against what the nodes had acknowledged at the end (every tenth result of a
    /// node, from its first, is an event): nothing lost, nothing doubled.
    /// </summary>
    private static string RowsCheck(long? counted, IEnumerable<long> acknowledged)
    {
        var expected = acknowledged.Sum(a => a - ((a + 9) / 10));
        if (counted is not { } rows)
        {
            return $"not checked ({expected} measurements acknowledged; give --server-database to check)";
        }

        return rows == expected ? $"ok ({rows} measurements)" : $"MISMATCH ({rows} measurements, {expected} expected)";
    }

    /// <summary>What a run asks of the simulated nodes.</summary>
    private sealed record FleetRun(ResultSendLimits Limits, int Nodes, int Backlog, int Rate, int Seconds);

    private static double Percentile(IReadOnlyList<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
