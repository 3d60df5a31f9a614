using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Tests.Notifications;
using Dapper;
using CctvEdge.Testing;
using CctvEdge.Web.Services;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

/// <summary>
/// Central detection: the server ships processor <c>detection</c> (the node plugin's detector) switched off; copied
/// into the processors folder with <c>opencv-hog</c> it labels the chosen cameras' motion events from their pictures
/// and from their clips' frames. Footage: people walking (<c>vtest.avi</c>, Debian opencv-doc).
/// </summary>
public sealed class CentralDetectionTests : IDisposable
{
    private const string Footage = MediaFiles.PeopleWalking;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly DateOnly Day = new(2026, 11, 21);
    private static readonly DateTimeOffset Morning = LocalDay.Bounds(Day).Start.AddHours(6);
    private readonly TempDirectory _work = new("cctvedge-central-detection");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task EventPictures_PeopleLabelledOnChosenCameraOnly_LabelsOutliveNodeUpdates()
    {
        var people = await File.ReadAllBytesAsync(await FfmpegAsync("people.jpg", "-ss", "3", "-i", Footage, "-frames:v", "1", "-q:v", "3"));
        var blank = await File.ReadAllBytesAsync(await FfmpegAsync("blank.jpg", "-f", "lavfi", "-i", "color=gray:s=768x576", "-frames:v", "1"));
        await using var server = await StartAsync("barn/yard");
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard", "gate"));

        await node.SendBatchAsync(NodeSessionClient.Event(1, "walkers", Morning), Picture(2, "walkers", people));
        await node.SendBatchAsync(NodeSessionClient.Event(3, "empty", Morning.AddMinutes(1)), Picture(4, "empty", blank));
        await node.SendBatchAsync(NodeSessionClient.Event(5, "elsewhere", Morning.AddMinutes(2), camera: "gate"), Picture(6, "elsewhere", people, camera: "gate"));
        await ProcessedAsync(server, batches: 3);

        var events = await EventsAsync(server);
        var person = Assert.Single(events["walkers"].GetProperty("labels").EnumerateArray());
        Assert.Equal("person", person.GetProperty("label").GetString());
        Assert.InRange(person.GetProperty("score").GetDouble(), 0.01, 10);
        var box = Assert.Single(events["walkers"].GetProperty("boxes").EnumerateArray()).EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(4, box.Count);
        Assert.All(box, v => Assert.InRange(v, 0, 1));
        Assert.Empty(events["empty"].GetProperty("labels").EnumerateArray());
        Assert.Empty(events["elsewhere"].GetProperty("labels").EnumerateArray());

        // The node rewrites its event when it ends: the server's labels are kept apart and stay.
        await node.SendBatchAsync(NodeSessionClient.Event(7, "walkers", Morning, end: Morning.AddSeconds(8)));
        var review = server.Services.GetRequiredService<IReviewQuery>();
        var labelled = await review.GetEventsAsync(new EventFilter { Day = Day, Label = "PERSON" }, 0, 50, CancellationToken.None);
        var row = Assert.Single(labelled.Items);
        Assert.NotNull(row.End);
        Assert.Equal("person", Assert.Single(row.Labels).Label);
        var drawn = Assert.Single(row.Boxes);
        Assert.Equal(("person", box[2], box[3]), (drawn.Label, drawn.Width, drawn.Height));
        var options = await review.GetDayOptionsAsync(Day, null, CancellationToken.None);
        Assert.Equal(["person"], options.Labels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EventClip_FramesSampledAfterUpload_EventLabelled(bool inBucket)
    {
        var clip = await File.ReadAllBytesAsync(await FfmpegAsync("walk.mp4", "-ss", "10", "-t", "4", "-i", Footage, "-an", "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+faststart"));
        // In a bucket the server decodes a temporary copy of the clip.
        await using var s3 = inBucket ? await S3rverServer.StartAsync() : null;
        await using var server = await StartAsync("barn/*", [.. s3?.ServerArguments("central") ?? [], "--Notifications:IntervalSeconds", "0.2", "--Notifications:RetryBaseSeconds", "0.2"]);
        using var receiver = new HookListener();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = receiver.Url } });
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "People", kinds = new[] { "motion" }, labels = new[] { "person" }, channels = new[] { channel } });
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        await node.SendBatchAsync(NodeSessionClient.Event(1, "walkers", Morning, end: Morning.AddSeconds(4)), Clip(2, "walk", "walkers", clip));
        await ProcessedAsync(server, batches: 1);
        Assert.Empty((await EventsAsync(server))["walkers"].GetProperty("labels").EnumerateArray());
        // The rules judged the ended event without labels: nothing was sent.
        await Eventually.TrueAsync(async () => await RulesJudgedUpToAsync(server) >= 1, Timeout, "the rules to judge the event");
        Assert.Empty(receiver.Hooks);

        var receipt = await new ClipUploadClient(node, new ClipService.ClipServiceClient(server.Channel)).UploadAsync("walk", clip, from: 0);
        Assert.False(receipt.AlreadyStored);

        var labels = await Eventually.GetAsync(
            async () => (await EventsAsync(server))["walkers"].GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("label").GetString()).ToList() is { Count: > 0 } found ? found : null,
            Timeout,
            "the clip's frames to label the event");
        Assert.Equal(["person"], labels);

        // Labelled, it is judged again and the rule on "person" sends it, once.
        await Eventually.TrueAsync(() => !receiver.Hooks.IsEmpty, Timeout, "the rule to send the labelled event");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var hook = Assert.Single(receiver.Hooks).Json;
        Assert.Equal(["person"], hook.GetProperty("event").GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
    }

    [Fact]
    public async Task BadCameraEntry_ProcessorFailsNamingTheSetting_ServerRuns()
    {
        await using var server = await StartAsync("barn");

        var failed = await Eventually.GetAsync(
            async () => (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/processors"))!.FirstOrDefault(p => p.GetProperty("state").GetString() == "failed") is { ValueKind: JsonValueKind.Object } p ? p.GetProperty("error").GetString() : null,
            Timeout,
            "the processor to refuse its settings");
        Assert.Contains("Processors:Settings:detection: detection setting Cameras must be node/camera or node/* for each camera (was barn)", failed, StringComparison.Ordinal);
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello());
        Assert.Equal(1UL, await node.SendBatchAsync(NodeSessionClient.Event(1, "e", Morning)));
    }

    /// <summary>A server with central detection copied in from what it ships, for <paramref name="cameras"/>.</summary>
    private Task<InProcessServer> StartAsync(string cameras, params string[] more)
    {
        FolderCopy.Copy(Path.Combine(RepositoryPaths.ServerProcessorsAvailableDirectory, "detection"), _work.Combine("processors", "detection"), subfolders: true);
        return InProcessServer.StartAsync(
        [
            "--Processors:Directory", _work.Combine("processors"),
            "--Processors:Settings:detection:Backend", "opencv-hog",
            "--Processors:Settings:detection:Cameras:0", cameras,
            "--Processors:Settings:detection:MaxClipFrames", "4",
            .. more,
        ]);
    }

    private static async Task ProcessedAsync(InProcessServer server, int batches) =>
        await Eventually.TrueAsync(
            async () => (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/processors"))!.Single().GetProperty("batchesProcessed").GetInt64() >= batches,
            Timeout,
            $"central detection to look at {batches} batches");

    /// <summary>The id of the last event the notification rules judged (their watermark).</summary>
    private static async Task<long> RulesJudgedUpToAsync(InProcessServer server)
    {
        await using var connection = await server.Database().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COALESCE((SELECT CAST(value AS BIGINT) FROM settings WHERE key = 'rules.last_event_id'), 0)");
    }

    private static async Task<Dictionary<string, JsonElement>> EventsAsync(InProcessServer server) =>
        (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/events?limit=50"))!.ToDictionary(e => e.GetProperty("eventId").GetString()!);

    private static Result Picture(ulong sequence, string eventId, byte[] jpeg, string camera = "yard") => new()
    {
        Sequence = sequence,
        CameraId = camera,
        PluginId = "motion",
        ProducedAt = Timestamp.FromDateTimeOffset(Morning),
        File = new FileBlob { Kind = "image", Name = $"motion-{eventId}.jpg", ContentType = "image/jpeg", Data = ByteString.CopyFrom(jpeg), EventId = eventId },
    };

    private static Result Clip(ulong sequence, string clipId, string eventId, byte[] clip) => new()
    {
        Sequence = sequence,
        CameraId = "yard",
        PluginId = "recording",
        Clip = new ClipInfo { ClipId = clipId, EventId = eventId, Start = Timestamp.FromDateTimeOffset(Morning), End = Timestamp.FromDateTimeOffset(Morning.AddSeconds(4)), Size = (ulong)clip.Length, Sha256 = ByteString.CopyFrom(SHA256.HashData(clip)), Reason = "motion" },
    };

    private async Task<string> FfmpegAsync(string name, params string[] arguments)
    {
        Assert.True(File.Exists(MediaFiles.PeopleWalking), $"{MediaFiles.PeopleWalking} is missing: apt install opencv-doc (scripts/test.sh does)");
        var output = _work.Combine(name);
        await MediaFiles.FfmpegAsync(output, arguments);
        return output;
    }
}
