using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Timelapse;
using CctvEdge.Testing;
using CctvEdge.Web.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Server.Tests;

public sealed class TimelapseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly CameraRef Yard = new("barn", "yard");

    [Fact]
    public async Task Offer_SnapshotsMoreOftenThanTheInterval_OneStillKeptPerInterval()
    {
        using var data = new TempDirectory("cctvedge-stills");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));
        var stills = new TimelapseStills(new MediaStore(data.Path), new Fixed<TimelapseOptions>(new() { IntervalSeconds = 60 }), clock);
        var kept = new List<long>();

        // Snapshots at 0, 10, 59, 60, 61, 119 and 125 s: the interval keeps those at 0, 60 and 125.
        foreach (var second in new[] { 0, 10, 59, 60, 61, 119, 125 })
        {
            clock.SetUtcNow(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero).AddSeconds(second));
            if (await stills.OfferAsync(Yard, new byte[] { 0xFF, 0xD8, (byte)second, 0xFF, 0xD9 }, CancellationToken.None))
            {
                kept.Add(second);
            }
        }

        Assert.Equal([0, 60, 125], kept);
        var day = LocalDay.Of(clock.GetUtcNow());
        var onDisk = stills.Stills(Yard, day);
        Assert.Equal(kept.Select(s => new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero).AddSeconds(s).ToUnixTimeMilliseconds()), onDisk.Select(s => s.AtMs));
        Assert.Equal((byte)60, (await File.ReadAllBytesAsync(onDisk[1].Path))[2]);

        // A restart (a new instance) counts the newest still on disk: 30 s later is still too soon.
        var restarted = new TimelapseStills(new MediaStore(data.Path), new Fixed<TimelapseOptions>(new() { IntervalSeconds = 60 }), clock);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.False(await restarted.OfferAsync(Yard, new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }, CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await restarted.OfferAsync(Yard, new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }, CancellationToken.None));
    }

    [Fact]
    public async Task Offer_Disabled_KeepsNothing()
    {
        using var data = new TempDirectory("cctvedge-stills");
        var stills = new TimelapseStills(new MediaStore(data.Path), new Fixed<TimelapseOptions>(new() { Enabled = false }), TimeProvider.System);

        Assert.False(await stills.OfferAsync(Yard, new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }, CancellationToken.None));
        Assert.Empty(stills.Cameras());
    }

    [Fact]
    public async Task Session_SnapshotFromANode_KeptAsTheDaysFirstStill()
    {
        await using var server = await InProcessServer.StartAsync("--Timelapse:IntervalSeconds", "3600");
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        var jpeg = await File.ReadAllBytesAsync((await MediaFiles.JpegsAsync(Path.Combine(server.DataDirectory, "made"), 1))[0]);

        await node.SendAsync(NodeSessionClient.Snapshot("yard", jpeg));
        await node.SendAsync(NodeSessionClient.Snapshot("yard", jpeg));
        var stills = server.Services.GetRequiredService<TimelapseStills>();
        var kept = await Eventually.GetAsync(
            () => Task.FromResult(stills.Days(Yard) is [var day] && stills.Stills(Yard, day) is { Count: > 0 } s ? s : null),
            Timeout,
            "the snapshot kept as a still");

        // The second snapshot came within the hour: only the first is kept, byte for byte.
        await Task.Delay(500);
        Assert.Single(stills.Stills(Yard, stills.Days(Yard)[0]));
        Assert.Equal(jpeg, await File.ReadAllBytesAsync(kept[0].Path));
    }

    [Fact]
    public async Task Build_DayOfStills_PlayableFastStartH264_OneFramePerStill_StoredAsTimelapseClip()
    {
        await using var server = await InProcessServer.StartAsync("--Timelapse:MaxWidth", "160", "--Timelapse:FramesPerSecond", "30");
        using var node = await ConnectNodeAsync(server);
        var day = LocalDay.Today(TimeProvider.System).AddDays(-1);
        var times = await PlaceStillsAsync(server, day, good: 12, width: 320, height: 240);

        var outcome = await server.Services.GetRequiredService<TimelapseBuilder>().BuildAsync(Yard, day, CancellationToken.None);

        Assert.Equal(TimelapseStatus.Built, outcome.Status);
        Assert.Equal((12, 0), (outcome.Frames, outcome.Skipped));
        var store = server.Services.GetRequiredService<ClipStore>();
        var clip = (await store.FindAsync(outcome.ClipId!, CancellationToken.None))!;
        Assert.Equal(("timelapse", ClipStore.Stored, "barn", "yard"), (clip.Reason, clip.State, clip.NodeId, clip.CameraId));
        Assert.Equal((times[0], times[^1]), (clip.StartMs, clip.EndMs));
        var file = ClipFixtures.FileOf(store, clip);
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(file)), clip.Sha256);
        Assert.Equal(new FileInfo(file).Length, clip.Size);
        var probe = await MediaFiles.ProbeAsync(file);
        Assert.Equal(("h264", "yuv420p", 160, 120), (probe.Codec, probe.PixelFormat, probe.Width, probe.Height));
        Assert.Equal(12, probe.Frames);
        Assert.Equal(30, probe.FramesPerSecond, 3);
        Assert.Equal(12 / 30.0, probe.DurationSeconds, 2);
        Assert.True(MediaFiles.IsFastStart(file), "the timelapse must be faststart so a browser plays it at once");
        // The stills are gone once the clip is stored.
        Assert.Empty(server.Services.GetRequiredService<TimelapseStills>().Stills(Yard, day));

        // Served like any clip: the clip API lists it with its reason, the media URL plays it, the player knows its rate.
        var clips = await server.Http.GetFromJsonAsync<JsonElement>("/api/clips");
        Assert.Contains(clips.EnumerateArray(), c => c.GetProperty("id").GetString() == clip.Id && c.GetProperty("reason").GetString() == "timelapse");
        using var media = await server.Http.GetAsync($"/media/clips/{clip.Id}.mp4");
        Assert.Equal(HttpStatusCode.OK, media.StatusCode);
        Assert.Equal("video/mp4", media.Content.Headers.ContentType?.MediaType);
        var player = (await server.Services.GetRequiredService<IReviewQuery>().GetClipPlayerAsync(clip.Id, CancellationToken.None))!;
        Assert.Equal(("timelapse", 30.0), (player.Clips[0].Reason, player.Clips[0].Fps));
        Assert.NotNull(player.Clips[0].ThumbnailUrl);
        using var poster = await server.Http.GetAsync(player.Clips[0].ThumbnailUrl);
        Assert.Equal(HttpStatusCode.OK, poster.StatusCode);

        // The overview links the camera's latest timelapse.
        var overview = await server.Services.GetRequiredService<IOverviewQuery>().GetOverviewAsync(1, CancellationToken.None);
        var camera = overview.Nodes.Single(n => n.Id == "barn").Cameras.Single(c => c.Id == "yard");
        Assert.Equal(clip.Id, camera.LatestTimelapse?.ClipId);
    }

    [Fact]
    public async Task Build_CorruptStillsAmongGoodOnes_LeftOutAndTheRestEncoded()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await ConnectNodeAsync(server);
        var day = LocalDay.Today(TimeProvider.System).AddDays(-1);
        var times = await PlaceStillsAsync(server, day, good: 5, width: 320, height: 240);
        var directory = server.Services.GetRequiredService<TimelapseStills>().DayDirectory(Yard, day);
        // A still cut short (a disk that filled), and one that is not a JPEG at all, between the good ones.
        var whole = await File.ReadAllBytesAsync(Path.Combine(directory, $"{times[0]}.jpg"));
        await File.WriteAllBytesAsync(Path.Combine(directory, $"{times[1] + 1}.jpg"), whole[..(whole.Length / 2)]);
        await File.WriteAllTextAsync(Path.Combine(directory, $"{times[2] + 1}.jpg"), "<html>not a picture</html>");

        var outcome = await server.Services.GetRequiredService<TimelapseBuilder>().BuildAsync(Yard, day, CancellationToken.None);

        Assert.Equal(TimelapseStatus.Built, outcome.Status);
        Assert.Equal((5, 2), (outcome.Frames, outcome.Skipped));
        var clip = (await server.Services.GetRequiredService<ClipStore>().FindAsync(outcome.ClipId!, CancellationToken.None))!;
        Assert.Equal(5, (await MediaFiles.ProbeAsync(ClipFixtures.FileOf(server.Services.GetRequiredService<ClipStore>(), clip))).Frames);
    }

    [Fact]
    public async Task Build_FfmpegMissing_FailsWithAClearReason_KeepsStillsAndStoresNothing()
    {
        await using var server = await InProcessServer.StartAsync("--Timelapse:FfmpegPath", "/nonexistent/ffmpeg");
        using var node = await ConnectNodeAsync(server);
        var day = LocalDay.Today(TimeProvider.System).AddDays(-1);
        await PlaceStillsAsync(server, day, good: 3, width: 320, height: 240);

        var outcome = await server.Services.GetRequiredService<TimelapseBuilder>().BuildAsync(Yard, day, CancellationToken.None);

        Assert.Equal(TimelapseStatus.Failed, outcome.Status);
        Assert.Contains("'/nonexistent/ffmpeg' could not be started", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Services.GetRequiredService<TimelapseStills>().Stills(Yard, day).Count);
        Assert.Empty(await ClipFixtures.StoredIdsAsync(server));
        Assert.Empty(Directory.EnumerateFiles(server.Services.GetRequiredService<ClipStore>().UploadsDirectory));
    }

    [Fact]
    public async Task DailyPass_FinishedDaysBuilt_TodayLeftToGrow()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await ConnectNodeAsync(server);
        var today = LocalDay.Today(TimeProvider.System);
        await PlaceStillsAsync(server, today.AddDays(-2), good: 3, width: 320, height: 240);
        await PlaceStillsAsync(server, today.AddDays(-1), good: 4, width: 320, height: 240);
        await PlaceStillsAsync(server, today, good: 2, width: 320, height: 240, hour: 0);
        var service = server.Services.GetServices<IHostedService>().OfType<TimelapseService>().Single();

        Assert.Equal(2, await service.RunOnceAsync(CancellationToken.None));

        var stills = server.Services.GetRequiredService<TimelapseStills>();
        Assert.Equal([today], stills.Days(Yard));
        Assert.Equal(2, (await ClipFixtures.StoredIdsAsync(server)).Count);
    }

    [Fact]
    public async Task Api_BuildOnDemand_AdminsOnly_404WithoutStills_ThenTheClip()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await ConnectNodeAsync(server);
        var today = LocalDay.Today(TimeProvider.System);
        var url = $"/api/cameras/barn/yard/timelapse?day={today:yyyy-MM-dd}";
        using var viewer = await server.ViewerClientAsync();

        using (var none = await server.Http.PostAsync(url, null))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        }

        await PlaceStillsAsync(server, today, good: 3, width: 320, height: 240, hour: 0);
        using (var refused = await viewer.PostAsync(url, null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var bad = await server.Http.PostAsync($"/api/cameras/barn/yard/timelapse?day={today.AddDays(1):yyyy-MM-dd}", null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using var built = await server.Http.PostAsync(url, null);
        Assert.Equal(HttpStatusCode.OK, built.StatusCode);
        var body = await built.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("frames").GetInt32());
        var clipId = body.GetProperty("clipId").GetString()!;
        Assert.Equal($"/player/clip/{clipId}", body.GetProperty("player").GetString());
        Assert.Equal([clipId], await ClipFixtures.StoredIdsAsync(server));
    }

    [Fact]
    public async Task Retention_TimelapsePastMaxAge_DeletedLikeAnyClip_WithItsPoster()
    {
        await using var server = await InProcessServer.StartAsync("--Retention:MaxAgeDays", "2", "--Retention:MinFreeGigabytes", "0");
        using var node = await ConnectNodeAsync(server);
        var today = LocalDay.Today(TimeProvider.System);
        await PlaceStillsAsync(server, today.AddDays(-4), good: 2, width: 320, height: 240);
        await PlaceStillsAsync(server, today.AddDays(-1), good: 2, width: 320, height: 240);
        var builder = server.Services.GetRequiredService<TimelapseBuilder>();
        var old = (await builder.BuildAsync(Yard, today.AddDays(-4), CancellationToken.None)).ClipId!;
        var recent = (await builder.BuildAsync(Yard, today.AddDays(-1), CancellationToken.None)).ClipId!;
        var poster = (await server.Services.GetRequiredService<IReviewQuery>().GetClipPlayerAsync(old, CancellationToken.None))!.Clips[0].ThumbnailUrl;

        await server.Services.GetServices<IHostedService>().OfType<RetentionService>().Single().RunOnceAsync(CancellationToken.None);

        Assert.Equal([recent], await ClipFixtures.StoredIdsAsync(server));
        using var gone = await server.Http.GetAsync(poster);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task EventPlayer_TimelapseOfTheDay_NotAmongTheEventsClips()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = await ConnectNodeAsync(server);
        var today = LocalDay.Today(TimeProvider.System);
        var times = await PlaceStillsAsync(server, today, good: 3, width: 320, height: 240, hour: 0);
        Assert.Equal(TimelapseStatus.Built, (await server.Services.GetRequiredService<TimelapseBuilder>().BuildAsync(Yard, today, CancellationToken.None)).Status);
        var during = DateTimeOffset.FromUnixTimeMilliseconds(times[1]);
        await node.SendBatchAsync(NodeSessionClient.Event(1, "in-the-timelapse", during, during.AddSeconds(5)));
        var review = server.Services.GetRequiredService<IReviewQuery>();
        var row = (await review.GetEventsAsync(new EventFilter { Day = today }, 0, 10, CancellationToken.None)).Items.Single();

        var player = (await review.GetEventPlayerAsync(row.FirstId, CancellationToken.None))!;

        Assert.Empty(player.Clips);
        Assert.Null(row.ClipId);
    }

    private static async Task<NodeSessionClient> ConnectNodeAsync(InProcessServer server)
    {
        var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        return node;
    }

    /// <summary>Real JPEG stills of the yard on <paramref name="day"/>, a minute apart from <paramref name="hour"/> o'clock; returns their times.</summary>
    private static async Task<IReadOnlyList<long>> PlaceStillsAsync(InProcessServer server, DateOnly day, int good, int width, int height, int hour = 8)
    {
        var directory = server.Services.GetRequiredService<TimelapseStills>().DayDirectory(Yard, day);
        Directory.CreateDirectory(directory);
        var made = await MediaFiles.JpegsAsync(Path.Combine(server.DataDirectory, "made", day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)), good, width, height);
        var start = LocalDay.Bounds(day).Start.AddHours(hour).AddSeconds(5);
        var times = new List<long>();
        for (var i = 0; i < made.Count; i++)
        {
            var at = start.AddMinutes(i).ToUnixTimeMilliseconds();
            File.Copy(made[i], Path.Combine(directory, at.ToString(CultureInfo.InvariantCulture) + ".jpg"));
            times.Add(at);
        }

        return times;
    }
}
