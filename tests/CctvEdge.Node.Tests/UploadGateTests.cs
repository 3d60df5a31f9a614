using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Recording;
using CctvEdge.Node.Uplink.Policy;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Node.Tests;

/// <summary>
/// The upload policy on a real outbox: clips kept on the node are never queued, held clips wait for their window and
/// for the budget, and the day's use survives a restart.
/// </summary>
public sealed class UploadGateTests : IAsyncLifetime
{
    private const long MB = 1024 * 1024;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly CameraConfiguration _cameras;
    private TestOutbox _outbox = null!;

    public UploadGateTests()
    {
        _clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        var cameras = new CamerasOptions();
        cameras.Items.Add(TestCamera.Options());
        _cameras = new CameraConfiguration(Options.Create(cameras));
    }

    public async Task InitializeAsync() => _outbox = await TestOutbox.OpenAsync(clock: _clock);

    public async Task DisposeAsync() => await _outbox.DisposeAsync();

    [Fact]
    public async Task Window_Closed_HoldsClipsButNotRetrievals_OpensOnTime()
    {
        var gate = Gate(new UploadPolicyOptions { Windows = ["01:00-05:00"] });
        var motion = await AddClipAsync("motion", MB);
        var retrieval = await AddClipAsync(VideoRetrieval.Reason, MB);

        var chosen = await gate.ChooseAsync([motion, retrieval], CancellationToken.None);

        Assert.Equal(retrieval.Id, chosen?.Id);
        Assert.Equal(1, gate.Hold.HeldClips);
        Assert.Equal("clips are sent only 01:00-05:00 (node time)", gate.Hold.Reason);
        Assert.False(gate.Hold.WindowOpen);

        _clock.Advance(TimeSpan.FromHours(14)); // 02:00 the next day
        Assert.Equal(motion.Id, (await gate.ChooseAsync([motion], CancellationToken.None))?.Id);
        Assert.True(gate.Hold.WindowOpen);
        Assert.Equal(0, gate.Hold.HeldClips);
    }

    [Fact]
    public async Task Budget_AClipStartsOnlyWhenAllOfItFits_RetrievalsCount_NewDayResets()
    {
        var gate = Gate(new UploadPolicyOptions { DailyBudgetMegabytes = 3 });
        var first = await AddClipAsync("motion", 2 * MB);
        var second = await AddClipAsync(VideoRetrieval.Reason, 2 * MB);
        var small = await AddClipAsync("motion", MB / 2);

        Assert.Equal(first.Id, (await gate.ChooseAsync([first, second, small], CancellationToken.None))?.Id);
        gate.Spent(first.Size);

        // 1 MB left: the 2 MB retrieval waits, the half-megabyte clip behind it goes.
        Assert.Equal(small.Id, (await gate.ChooseAsync([second, small], CancellationToken.None))?.Id);
        gate.Spent(small.Size);
        Assert.Null(await gate.ChooseAsync([second], CancellationToken.None));
        Assert.Equal("the daily upload budget is used (2.5 MB of 3 MB); clips go again after midnight (node time)", gate.Hold.Reason);
        Assert.Equal(2 * MB + (MB / 2), gate.UsedBytes);

        _clock.Advance(TimeSpan.FromHours(12));
        Assert.Equal(second.Id, (await gate.ChooseAsync([second], CancellationToken.None))?.Id);
        Assert.Equal(0, gate.UsedBytes);
    }

    [Fact]
    public async Task Budget_ClipLargerThanTheWholeBudget_HeldAndSaysHowToSendIt()
    {
        var gate = Gate(new UploadPolicyOptions { DailyBudgetMegabytes = 1 });
        var big = await AddClipAsync("motion", 2 * MB);

        Assert.Null(await gate.ChooseAsync([big], CancellationToken.None));
        Assert.Contains("is larger than the whole daily budget (1 MB): raise UploadPolicy:DailyBudgetMegabytes", gate.Hold.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Budget_DaysUseSurvivesARestart_NotTheNextDay()
    {
        var options = new UploadPolicyOptions { DailyBudgetMegabytes = 2 };
        var gate = Gate(options);
        var clip = await AddClipAsync("motion", MB + 1);
        await gate.ChooseAsync([clip], CancellationToken.None);
        gate.Spent(MB + 1);
        await gate.SaveAsync(CancellationToken.None);

        var restarted = Gate(options);
        Assert.Null(await restarted.ChooseAsync([clip], CancellationToken.None));
        Assert.Equal(MB + 1, restarted.UsedBytes);

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(clip.Id, (await Gate(options).ChooseAsync([clip], CancellationToken.None))?.Id);
    }

    [Fact]
    public async Task Recorder_OnDemand_QueuesNoJob_CountsItKept_AFlaggedEventIsQueued()
    {
        var camera = TestCamera.Options();
        camera.UploadPolicy = new CameraUploadPolicyOptions { Clips = "flagged" };
        var policy = UploadPolicyTests.Of(new UploadPolicyOptions { Clips = "on-demand" });
        var events = new RecentEvents(_clock);
        var recorder = new ClipRecorder(camera, _outbox.Clips, policy, events);
        var now = _clock.GetUtcNow();
        events.Record(new PluginEvent("plain", "motion", now) { End = now.AddSeconds(5) });

        await recorder.RequestClipAsync(new ClipRequest(now.AddSeconds(-3), now.AddSeconds(8)) { EventId = "plain", Reason = "motion" });
        Assert.Empty(await _outbox.Clips.JobsAsync(CancellationToken.None));
        Assert.Equal(1, policy.KeptOnNode);

        // The recording plugin names the first event of its window; a person seen later in that window flags it.
        events.Record(new PluginEvent("person", "detection", now.AddSeconds(6)) { End = now.AddSeconds(7), Labels = ["person"] });
        var id = await recorder.RequestClipAsync(new ClipRequest(now.AddSeconds(-3), now.AddSeconds(10)) { EventId = "plain", Reason = "motion" });
        Assert.Equal(id, Assert.Single(await _outbox.Clips.JobsAsync(CancellationToken.None)).Id);

        // The node's own on-demand policy applies to a camera that sets none.
        var other = new ClipRecorder(TestCamera.Options(), _outbox.Clips, policy, events);
        await other.RequestClipAsync(new ClipRequest(now.AddSeconds(-3), now.AddSeconds(10)) { EventId = "plain", Reason = "motion" });
        Assert.Single(await _outbox.Clips.JobsAsync(CancellationToken.None));
        Assert.Equal(2, policy.KeptOnNode);
    }

    private UploadGate Gate(UploadPolicyOptions options) => new(UploadPolicyTests.Of(options), _cameras, _outbox.Clips, _clock);

    private async Task<PendingClip> AddClipAsync(string reason, long size)
    {
        var id = Guid.NewGuid().ToString("N");
        var now = _clock.GetUtcNow();
        await _outbox.Clips.CompleteJobAsync(new PendingClip(id, "yard", "", now.AddSeconds(-10), now, size, new byte[32], id + ".mp4", 0), reason, null, CancellationToken.None);
        return (await _outbox.Clips.UploadableAsync(long.MaxValue, 100, CancellationToken.None)).Single(c => c.Id == id);
    }
}
