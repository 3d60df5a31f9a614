using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Testing;
using Xunit.Abstractions;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// How the node stops: gracefully (SIGTERM from systemd or the demo script) without a crash and without losing what it
/// accepted, and abruptly (kill -9, a power cut) without leaving an event open forever or losing its clip.
/// </summary>
public sealed class NodeStopTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Sigterm_ServerThenNodeWithResultsWaiting_BothExitZeroAndNothingAcceptedIsLost()
    {
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions { RecordMotion = true });
        await network.WaitForEventsAsync(1, Long);

        // The server first, so the node stops holding results it accepted and could not deliver yet; and the node while
        // one of its events is open, so it has one to end as it stops.
        network.Server.Process.Signal("TERM");
        var serverExit = await network.Server.Process.WaitForExitAsync(StopTimeout);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var openAtStop = await Eventually.GetAsync(
            async () => (await DatabaseProbe.QueryAsync<string>(network.NodeDatabase, "SELECT event_id FROM open_events WHERE ended_ms IS NULL")).FirstOrDefault(),
            Long,
            "an open event on the node");
        network.Node.Signal("TERM");
        var nodeExit = await network.Node.WaitForExitAsync(StopTimeout);
        AssertStoppedCleanly(network.Server.Process, serverExit);
        AssertStoppedCleanly(network.Node, nodeExit);

        var stored = await DatabaseProbe.ScalarAsync<long>(network.ServerDatabase, "SELECT last_sequence FROM nodes WHERE id = 'e2e-node'");
        var accepted = await DatabaseProbe.ScalarAsync<long>(network.NodeDatabase, "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'results'), 0)");
        var waiting = (await DatabaseProbe.QueryAsync<byte[]>(network.NodeDatabase, "SELECT payload FROM results WHERE sequence > @Stored ORDER BY sequence", new { Stored = stored }))
            .Select(OutboxRow.Read).ToList();
        output.WriteLine($"server held up to {stored}, the node accepted up to {accepted}: {waiting.Count} waiting; event {openAtStop} was open at the stop");
        Assert.Empty(await DatabaseProbe.QueryAsync<string>(network.NodeDatabase, "SELECT event_id FROM open_events WHERE ended_ms IS NULL"));
        Assert.True(waiting.Count > 0 && accepted > stored, $"the node should have stopped with results waiting (server {stored}, node {accepted})");

        await network.RestartStoppedAsync();

        await Eventually.GetValueAsync(
            async () => await DatabaseProbe.ScalarAsync<long>(network.ServerDatabase, "SELECT last_sequence FROM nodes WHERE id = 'e2e-node'") is var last && last >= accepted ? last : (long?)null,
            Long,
            $"the server to hold every result up to {accepted}");
        var events = (await DatabaseProbe.QueryAsync<string>(network.ServerDatabase, "SELECT event_id FROM events WHERE node_id = 'e2e-node'")).ToHashSet();
        var measurements = (await DatabaseProbe.QueryAsync<(string Name, long AtMs)>(network.ServerDatabase, "SELECT name, at_ms FROM measurements WHERE node_id = 'e2e-node'")).ToHashSet();
        Assert.All(waiting.Where(r => r.EventId is not null), r => Assert.Contains(r.EventId!, events));
        Assert.All(waiting.Where(r => r.Measurement is not null), r => Assert.Contains(r.Measurement!.Value, measurements));
        // The node ended what was open as it stopped, and the server holds that end from before the restart's own work.
        Assert.Contains(waiting, r => r.EventId == openAtStop && r.EventEnded);
    }

    [Fact]
    public async Task NodeKilledDuringMotionEvent_Restarted_EventEndsAsInterruptedAndAClipOfItsStartArrives()
    {
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions { RecordMotion = true });
        // An event open for a few seconds: its camera's last frame was saved after its start, and its start is on disk
        // in finished segments. The synthetic box moves for 8 s, so it is still open when the node is killed.
        var (eventId, startMs) = await Eventually.GetValueAsync(
            async () =>
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var open = await DatabaseProbe.QueryAsync<(string EventId, long StartMs)>(
                    network.ServerDatabase,
                    "SELECT event_id, start_ms FROM events WHERE kind = 'motion' AND end_ms IS NULL AND start_ms BETWEEN @From AND @To",
                    new { From = now - 4500, To = now - 3000 });
                return open.Count > 0 ? open[0] : ((string, long)?)null;
            },
            Long,
            "a motion event open for 3 s");
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await network.KillAndRestartNodeAsync();

        var (endMs, payload) = await Eventually.GetValueAsync(
            async () => (await DatabaseProbe.QueryAsync<(long? EndMs, string Payload)>(network.ServerDatabase, "SELECT end_ms, payload_json FROM events WHERE event_id = @Id", new { Id = eventId }))
                .SingleOrDefault() is { EndMs: { } end } row ? (end, row.Payload) : ((long, string)?)null,
            Long,
            $"event {eventId} to get an end; node log:{Environment.NewLine}{network.Node.Output}");
        output.WriteLine($"event {eventId}: start {startMs}, killed {killedAt}, end {endMs}, payload {payload}");
        Assert.InRange(endMs, startMs + 1, killedAt + 1000);
        Assert.True(JsonDocument.Parse(payload).RootElement.GetProperty("interrupted").GetBoolean());

        var clip = await Eventually.GetValueAsync(
            async () => (await network.ClipsAsync()).FirstOrDefault(c => c.GetProperty("eventId").GetString() == eventId && c.GetProperty("state").GetString() == "stored") is { ValueKind: JsonValueKind.Object } c ? c : (JsonElement?)null,
            Long,
            $"a stored clip of event {eventId}; node log:{Environment.NewLine}{network.Node.Output}");
        output.WriteLine(clip.ToString());
        Assert.True(clip.GetProperty("start").GetDateTimeOffset().ToUnixTimeMilliseconds() <= startMs, "the clip starts before the event");
        Assert.True(clip.GetProperty("end").GetDateTimeOffset().ToUnixTimeMilliseconds() > startMs, "the clip shows the event's start");
    }

    [Fact]
    public async Task NodeKilledDuringPostRoll_Restarted_AClipHoldingTheEventsEndArrives()
    {
        // The synthetic box moves for 8 s in every 20 s. With 9 s of post-roll each event gets a window of its own (the
        // next one starts 12 s after its end, later than the post-roll), asked for 9 s after the event's end: until
        // then the clip exists nowhere but in the recording plugin's memory.
        await using var network = await DemoNetwork.StartAsync(new NetworkOptions { RecordMotion = true, PostRollSeconds = 9 });
        var (eventId, endMs) = await Eventually.GetValueAsync(
            async () =>
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var ended = await DatabaseProbe.QueryAsync<(string EventId, long EndMs)>(
                    network.ServerDatabase,
                    "SELECT event_id, end_ms FROM events WHERE kind = 'motion' AND end_ms BETWEEN @From AND @Now",
                    new { From = now - 4000, Now = now });
                return ended.Count > 0 ? ended[0] : ((string, long)?)null;
            },
            Long,
            "a motion event that ended in the last 4 s");
        var waiting = await DatabaseProbe.ScalarAsync<long>(network.NodeDatabase, "SELECT COUNT(*) FROM open_events WHERE event_id = @Id AND ended_ms IS NOT NULL", new { Id = eventId });

        await network.KillAndRestartNodeAsync();

        Assert.True(waiting == 1, $"event {eventId} should still have been waiting for its clip when the node was killed");
        var clip = await Eventually.GetValueAsync(
            async () => (await network.ClipsAsync()).FirstOrDefault(c =>
                c.GetProperty("state").GetString() == "stored"
                && c.GetProperty("start").GetDateTimeOffset().ToUnixTimeMilliseconds() <= endMs
                && c.GetProperty("end").GetDateTimeOffset().ToUnixTimeMilliseconds() >= endMs) is { ValueKind: JsonValueKind.Object } c ? c : (JsonElement?)null,
            Long,
            $"a stored clip holding the end of event {eventId} ({endMs}); node log:{Environment.NewLine}{network.Node.Output}");
        output.WriteLine(clip.ToString());
    }

    private static void AssertStoppedCleanly(ChildProcess process, int exitCode)
    {
        Assert.True(exitCode == 0, $"{process.Name} exited with {exitCode}; its output:{Environment.NewLine}{process.Output}");
        Assert.DoesNotContain("Unhandled", process.Output, StringComparison.Ordinal);
    }
}
