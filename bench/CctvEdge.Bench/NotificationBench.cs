using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace CctvEdge.Bench;

/// <summary>
/// Notifications under load: a node session sends motion events at a steady rate (1,000 a minute by default) to a
/// real server process, once with no rules (the reference: ingest alone), once with 20 rules sending every event
/// to 4 webhook channels on loopback receivers, and once with the same rules made adaptive. It prints the server's CPU per event in each run, the rules' own
/// time per event (the server's cctvedge_notifications_rules_time_seconds_total over its events counter), how fast
/// deliveries went out, their delay from the event's start to the receiver, and what was still waiting at the end.
/// </summary>
internal static class NotificationBench
{
    private const int Cameras = 8;
    private const int Channels = 4;

    public static async Task<int> RunAsync(string[] args)
    {
        var perMinute = BenchArgs.Option(args, "--events-per-minute", 1000);
        var seconds = BenchArgs.Option(args, "--seconds", 60);
        var rules = BenchArgs.Option(args, "--rules", 20);
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Split(' ')[..3].Aggregate((a, b) => a + " " + b)}, {Environment.ProcessorCount} cores; {perMinute} events a minute for {seconds} s, {Cameras} cameras");
        Console.WriteLine("| run | events | server CPU ms/event | rules µs/event | deliveries | sent/s | delay p50 / p95 / max | waiting at the end |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        await RunOnceAsync("ingest only (reference)", perMinute, seconds, rules: 0, adaptive: false);
        await RunOnceAsync($"{rules} rules → {Channels} webhooks", perMinute, seconds, rules, adaptive: false);
        await RunOnceAsync($"{rules} adaptive rules (k = 0) → {Channels} webhooks", perMinute, seconds, rules, adaptive: true);
        return 0;
    }

    /// <summary>
    /// One run. Adaptive rules (k = 0: above the camera's 24 h mean) each read the camera's peaks of the day before
    /// sending, and send about half the events, so the run waits until every event was judged and nothing waits.
    /// </summary>
    private static async Task RunOnceAsync(string name, int perMinute, int seconds, int rules, bool adaptive)
    {
        using var temp = new TempDirectory("cctvedge-bench-notify");
        await using var server = await ServerProcess.StartAsync(temp.Path, "--Notifications:IntervalSeconds", "1");
        using var http = await WebSignIn.AdminClientAsync(server.WebAddress);
        var receivers = Enumerable.Range(0, Channels).Select(_ => new HookListener()).ToList();
        try
        {
            await ConfigureAsync(http, receivers, rules, adaptive);
            using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
            using var session = new NodeService.NodeServiceClient(channel).Connect();
            await session.RequestStream.WriteAsync(new NodeMessage { Hello = Hello() });
            await session.ResponseStream.MoveNext(CancellationToken.None);

            var (rulesEventsBefore, rulesTimeBefore) = await RuleMetricsAsync(http);
            var cpuBefore = ProcessCpu.Seconds(server.Process.Id);
            var interval = TimeSpan.FromMinutes(1) / perMinute;
            var total = perMinute * seconds / 60;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < total; i++)
            {
                var due = interval * i - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }

                await SendEventAsync(session, (ulong)i + 1);
            }

            // Deliveries get a moment to drain; what is still waiting after it is reported, not hidden.
            var expected = rules == 0 ? 0 : total * Channels;
            var drain = Stopwatch.StartNew();
            while (drain.Elapsed < TimeSpan.FromSeconds(30) && (adaptive
                ? (await RuleMetricsAsync(http)).Events - rulesEventsBefore < total || await WaitingAsync(http) > 0
                : receivers.Sum(r => r.Hooks.Count) < expected))
            {
                await Task.Delay(100);
            }

            var busy = clock.Elapsed.TotalSeconds;
            var cpu = ProcessCpu.Seconds(server.Process.Id) - cpuBefore;
            var (rulesEvents, rulesTime) = await RuleMetricsAsync(http);
            var hooks = receivers.SelectMany(r => r.Hooks).ToList();
            var delays = hooks.Select(h => (h.At - h.Json.GetProperty("event").GetProperty("start").GetDateTimeOffset()).TotalMilliseconds).Order().ToList();
            var waiting = rules == 0 ? 0 : await WaitingAsync(http);
            var perEvent = rulesEvents > rulesEventsBefore ? $"{(rulesTime - rulesTimeBefore) / (rulesEvents - rulesEventsBefore) * 1e6:0}" : "–";
            var delay = delays.Count == 0 ? "–" : $"{Percentile(delays, 0.5):0} / {Percentile(delays, 0.95):0} / {delays[^1]:0} ms";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {total} | {cpu * 1000 / total:0.00} | {perEvent} | {hooks.Count}{(adaptive ? "" : $" of {expected}")} | {hooks.Count / busy:0.0} | {delay} | {waiting} |"));
            await session.RequestStream.CompleteAsync();
        }
        finally
        {
            receivers.ForEach(r => r.Dispose());
        }
    }

    private static async Task<long> WaitingAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement[]>("api/notification-channels"))!.Sum(c => c.GetProperty("pending").GetInt64());

    private static async Task ConfigureAsync(HttpClient http, IReadOnlyList<HookListener> receivers, int rules, bool adaptive)
    {
        if (rules == 0)
        {
            return;
        }

        var channels = new List<long>();
        foreach (var (receiver, i) in receivers.Select((r, i) => (r, i)))
        {
            using var created = await http.PostAsJsonAsync("api/notification-channels", new { name = $"hook {i}", kind = "webhook", settings = new { url = receiver.Url, secret = "bench-secret-0123456789" } });
            created.EnsureSuccessStatusCode();
            channels.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        }

        // Every camera is matched by two or three rules, each sending to every channel: one delivery per event and channel.
        for (var i = 0; i < rules; i++)
        {
            using var rule = await http.PostAsJsonAsync("api/notification-rules", new
            {
                name = $"rule {i}",
                kinds = new[] { "motion" },
                cameras = new[] { $"bench.cam{i % Cameras}" },
                zones = new[] { "gate", "drive" },
                channels,
                schedule = new { days = Array.Empty<string>(), from = "00:00", to = "00:00" },
                adaptive = adaptive ? new { k = 0, minSamples = 2 } : null,
            });
            rule.EnsureSuccessStatusCode();
        }
    }

    private static Hello Hello()
    {
        var hello = new Hello { NodeId = "bench", ProtocolVersion = 1 };
        hello.Cameras.AddRange(Enumerable.Range(0, Cameras).Select(i => new CameraInfo { Id = $"cam{i}", Name = $"Camera {i}" }));
        return hello;
    }

    /// <summary>One motion event in its own batch, as a node sends them; waits for the server's acknowledgement.</summary>
    private static async Task SendEventAsync(AsyncDuplexStreamingCall<NodeMessage, ServerMessage> session, ulong sequence)
    {
        var now = DateTimeOffset.UtcNow;
        var batch = new ResultBatch();
        batch.Results.Add(new Result
        {
            Sequence = sequence,
            CameraId = $"cam{sequence % Cameras}",
            PluginId = "motion",
            ProducedAt = Timestamp.FromDateTimeOffset(now),
            // Peaks that vary, so an adaptive rule has a spread to judge against.
            Event = new Event { EventId = $"e{sequence}", Kind = "motion", Start = Timestamp.FromDateTimeOffset(now), Peak = 3.5 + (sequence * 7 % 11 / 10.0), Zones = { "gate" } },
        });
        await session.RequestStream.WriteAsync(new NodeMessage { Results = batch });
        while (await session.ResponseStream.MoveNext(CancellationToken.None) && session.ResponseStream.Current.BodyCase != ServerMessage.BodyOneofCase.Ack)
        {
        }
    }

    /// <summary>The rules' events and seconds so far, from the server's /metrics.</summary>
    private static async Task<(double Events, double Seconds)> RuleMetricsAsync(HttpClient http)
    {
        var lines = (await http.GetStringAsync("metrics")).Split('\n');
        double Value(string series) => lines.Where(l => l.StartsWith(series, StringComparison.Ordinal)).Sum(l => double.Parse(l.Split(' ')[^1], CultureInfo.InvariantCulture));
        return (Value("cctvedge_notifications_rules_events_total"), Value("cctvedge_notifications_rules_time_seconds_total"));
    }

    private static double Percentile(IReadOnlyList<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
