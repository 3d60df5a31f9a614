using System.Collections.Concurrent;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Cameras.Push;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Tests;

/// <summary>A push camera run as the node runs it (<see cref="PushCameras"/>), with real ffmpeg and the real outbox.</summary>
internal sealed class PushCameraFixture : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    private PushCameraFixture(TempDirectory temp, TestOutbox outbox, PushCameras cameras, CameraOptions options)
    {
        Temp = temp;
        Outbox = outbox;
        Cameras = cameras;
        Options = options;
        Camera = NewWorker();
    }

    public TempDirectory Temp { get; }

    public TestOutbox Outbox { get; }

    public PushCameras Cameras { get; }

    public CameraOptions Options { get; }

    public CameraWorker Camera { get; private set; }

    public ConcurrentQueue<(long Number, int Width, int Height)> Frames { get; } = new();

    public string Inbox => PushCameras.InboxOf(Options, DataDirectory);

    public string DataDirectory => Temp.Combine("data");

    public string Bursts => Path.Combine(DataDirectory, "cameras", Options.Id, "push", "bursts");

    public static async Task<PushCameraFixture> CreateAsync(double burstGapSeconds = 1, string? inbox = null, PushOptions? push = null)
    {
        var temp = new TempDirectory("cctvedge-push");
        var outbox = await TestOutbox.OpenAsync(temp.Combine("node"));
        var options = TestCamera.Options(CameraSourceKinds.Push);
        options.Source.BurstGapSeconds = burstGapSeconds;
        options.Source.Inbox = inbox ?? "";
        options.Recording.Enabled = false;
        var cameras = new PushCameras(
            Microsoft.Extensions.Options.Options.Create(new NodeOptions { DataDirectory = temp.Combine("data") }),
            Microsoft.Extensions.Options.Options.Create(push ?? new PushOptions()),
            Microsoft.Extensions.Options.Options.Create(new FfmpegOptions()),
            new ProcessRunner(NullLogger<ProcessRunner>.Instance),
            outbox.Results,
            outbox.Clips,
            TimeProvider.System,
            NullLoggerFactory.Instance);
        return new PushCameraFixture(temp, outbox, cameras, options);
    }

    public void Start()
    {
        _running = Cameras.RunAsync(Camera, _stop.Token);
    }

    /// <summary>Stops the camera as the node's stop does; an open burst stays on disk.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(Timeout);
        _stop.Dispose();
        _stop = new CancellationTokenSource();
    }

    /// <summary>A new worker for the same camera, as after a restart of the node.</summary>
    public void Restart()
    {
        Camera = NewWorker();
        Start();
    }

    public async Task<IReadOnlyList<Event>> EventsAsync() =>
        [.. (await Outbox.Results.ReadAfterAsync(0, 1000, CancellationToken.None)).Where(r => r.BodyCase == Result.BodyOneofCase.Event && r.PluginId == PushCameraSource.PublisherId).Select(r => r.Event)];

    public async Task<PendingClip> ClipAsync() =>
        await Eventually.GetAsync(async () => (await Outbox.Clips.OldestAsync(10, CancellationToken.None)).FirstOrDefault(), Timeout, "the burst's clip in the outbox");

    public static JsonElement Payload(Event e) => JsonDocument.Parse(e.PayloadJson).RootElement;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(Timeout);
        _stop.Dispose();
        await Outbox.DisposeAsync();
        Temp.Dispose();
    }

    private CameraWorker NewWorker()
    {
        var worker = TestCamera.Create(Temp.Combine("camera"), options: Options);
        worker.Frames.Add(new Recorder(Frames));
        return worker;
    }

    private sealed class Recorder(ConcurrentQueue<(long, int, int)> frames) : IFrameConsumer
    {
        public void Offer(SharedFrame frame) => frames.Enqueue((frame.Number, frame.Width, frame.Height));
    }
}
