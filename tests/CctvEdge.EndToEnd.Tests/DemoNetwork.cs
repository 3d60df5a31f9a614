using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Testing;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>How a test network is set up.</summary>
internal sealed record NetworkOptions
{
    /// <summary>
    /// List a server that is not there before the real one (Server:Addresses), so the node fails over to the real one
    /// as it would from a replica that went away.
    /// </summary>
    public bool DeadServerFirst { get; init; }

    /// <summary>Put a TCP proxy between node and server, so the test can cut or corrupt the link.</summary>
    public bool Proxy { get; init; }

    /// <summary>The node's clip upload cap, to make uploads slow enough to interrupt; 0 for none.</summary>
    public int UploadKilobytesPerSecond { get; init; }

    /// <summary>Continuous recording in clips of this length (deterministic clips); 0 for off.</summary>
    public double ContinuousClipSeconds { get; init; }

    /// <summary>Add the recording plugin (clips around motion events).</summary>
    public bool RecordMotion { get; init; }

    /// <summary>The recording plugin's post-roll: how long after an event ends its clip is asked for.</summary>
    public double PostRollSeconds { get; init; } = 1;

    /// <summary>The node's UploadPolicy section (a metered link's policy); null for none.</summary>
    public object? UploadPolicy { get; init; }

    /// <summary>Add a broken plugin folder and a reference to it, as an installer might leave them.</summary>
    public bool BrokenPlugin { get; init; }

    public string[] ServerArguments { get; init; } = [];

    /// <summary>More plugins for the camera (id to settings), installed or to be dropped in later.</summary>
    public Dictionary<string, object> CameraPlugins { get; init; } = [];

    /// <summary>Node:PluginHangSeconds: how soon a plugin call that never returns is reported.</summary>
    public double PluginHangSeconds { get; init; } = 30;

    /// <summary>The yard camera plays this video file (a <c>file</c> source, in a loop) instead of the synthetic picture.</summary>
    public string? YardFile { get; init; }

    /// <summary>The yard camera records and burns the wall clock into its picture (Source:Clock), for live latency.</summary>
    public bool YardClock { get; init; }

    /// <summary>The yard camera's Recording:FragmentMilliseconds (0: live view sends whole segments).</summary>
    public int YardFragmentMilliseconds { get; init; } = 200;

    /// <summary>Ids of more cameras beside "yard": small synthetic ones with no plugins, cheap enough to have several.</summary>
    public string[] ExtraCameras { get; init; } = [];

    /// <summary>
    /// Give the node sensors: "barn", a simulated BME280 read every second and linked to the yard camera, and "vib-1",
    /// a board posting to the node's microcontroller endpoint (<see cref="DemoNetwork.BoardInput"/>, token "board").
    /// </summary>
    public bool Sensors { get; init; }

    /// <summary>
    /// Run the node from this unpacked linux-arm64 bundle's app folder under qemu-aarch64-static, with the arm64
    /// userland scripts/test.sh prepares (CCTVEDGE_ARM64_SYSROOT), as a Pi would run it; null for the x64 build.
    /// </summary>
    public string? Arm64App { get; init; }
}

/// <summary>
/// A server process and a node process with one synthetic camera, as the demo runs them, in temporary folders. The
/// server keeps its ports across restarts, so a test can kill either side and bring it back.
/// </summary>
internal sealed class DemoNetwork : IAsyncDisposable
{
    private readonly TempDirectory _root = new("cctvedge-e2e");
    private readonly NetworkOptions _options;
    private readonly int _grpcPort = FreePort.Next();
    private readonly int _webPort = FreePort.Next();

    /// <summary>The node's Prometheus endpoint (Metrics:Port), on loopback.</summary>
    public Uri NodeMetrics { get; } = new($"http://127.0.0.1:{FreePort.Next()}/metrics");

    /// <summary>The node's microcontroller endpoint (POST /input), when <see cref="NetworkOptions.Sensors"/> is set.</summary>
    public Uri BoardInput { get; } = new($"http://127.0.0.1:{FreePort.Next()}/input");

    private DemoNetwork(NetworkOptions options) => _options = options;

    public ServerProcess Server { get; private set; } = null!;

    public ChildProcess Node { get; private set; } = null!;

    /// <summary>The address listed before the server with <see cref="NetworkOptions.DeadServerFirst"/>: a free port nothing listens on.</summary>
    public string DeadServer { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    public TcpProxy? Proxy { get; private set; }

    /// <summary>The REST API, signed in as the admin.</summary>
    public HttpClient Http { get; private set; } = null!;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public string ServerData => _root.Combine("server");

    public string NodeData => _root.Combine("node");

    /// <summary>Where the node keeps cut clips until the server's receipt.</summary>
    public string NodeClips => Path.Combine(NodeData, "outbox", "clips");

    /// <summary>The server's SQLite database.</summary>
    public string ServerDatabase => Path.Combine(ServerData, "cctvedge.db");

    /// <summary>The node's outbox database (results, clip jobs, open events).</summary>
    public string NodeDatabase => Path.Combine(NodeData, "outbox.db");

    private string ConfigPath => _root.Combine("node.json");

    /// <summary>The node's plugins directory, where a test drops plugin folders.</summary>
    public string PluginsDirectory => _root.Combine("plugins");

    public static async Task<DemoNetwork> StartAsync(NetworkOptions? options = null)
    {
        var network = new DemoNetwork(options ?? new NetworkOptions());
        try
        {
            await network.StartServerAsync().ConfigureAwait(false);
            await network.WriteNodeConfigAsync().ConfigureAwait(false);
            network.StartNode();
            return network;
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task StartServerAsync()
    {
        Directory.CreateDirectory(ServerData);
        Server = await ServerProcess.StartAsync(ServerData, _grpcPort, _webPort, _options.ServerArguments).ConfigureAwait(false);
        // Signed in as the admin; the cookie outlives a server restart (its keys are in the data directory).
        Http ??= await WebSignIn.AdminClientAsync(Server.WebAddress).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (_options.Proxy)
        {
            Proxy ??= new TcpProxy(_grpcPort);
        }
    }

    public void StartNode() => Node = _options.Arm64App is { } app
        ? ChildProcess.Start("node-arm64", "qemu-aarch64-static", ["-L", Arm64Sysroot, Path.Combine(app, "cctvedge-node"), "--config", ConfigPath], _root.Path, Arm64Environment)
        : ChildProcess.StartDotnet("node", RepositoryPaths.NodeDll, ["--config", ConfigPath], _root.Path);

    /// <summary>The arm64 userland for qemu (scripts/test.sh sets it up); the test fails, never skips, without it.</summary>
    internal static string Arm64Sysroot =>
        Environment.GetEnvironmentVariable("CCTVEDGE_ARM64_SYSROOT") is { Length: > 0 } sysroot && File.Exists(Path.Combine(sysroot, "lib", "libssl.so.3"))
            ? sysroot
            : throw new InvalidOperationException("CCTVEDGE_ARM64_SYSROOT must name an arm64 sysroot with libssl (scripts/test.sh prepares one: ensure_arm64_sysroot).");

    // Under qemu-user the runtime's double-mapped code pages (W^X) break JIT-emitted stubs (Dapper's, reflection's): off.
    internal static readonly Dictionary<string, string> Arm64Environment = new() { ["DOTNET_EnableWriteXorExecute"] = "0" };

    /// <summary>kill -9 the node and start it again with the same config and data.</summary>
    public async Task KillAndRestartNodeAsync()
    {
        Node.Kill();
        await Node.DisposeAsync().ConfigureAwait(false);
        StartNode();
    }

    /// <summary>kill -9 the server and start it again on the same ports and data.</summary>
    public async Task KillAndRestartServerAsync()
    {
        Server.Process.Kill();
        await Server.DisposeAsync().ConfigureAwait(false);
        await StartServerAsync().ConfigureAwait(false);
    }

    /// <summary>Starts both programs again after they stopped (server first), on the same ports, config and data.</summary>
    public async Task RestartStoppedAsync()
    {
        await Node.DisposeAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
        await StartServerAsync().ConfigureAwait(false);
        StartNode();
    }

    /// <summary>Polls the REST API until <paramref name="count"/> events of <paramref name="kind"/> are stored.</summary>
    public Task<JsonElement[]> WaitForEventsAsync(int count, TimeSpan timeout, string kind = "motion") =>
        Eventually.GetAsync(async () =>
        {
            var events = (await Http.GetFromJsonAsync<JsonElement[]>("api/events?limit=1000").ConfigureAwait(false))!
                .Where(e => e.GetProperty("kind").GetString() == kind).ToArray();
            return events.Length >= count ? events : null;
        }, timeout, $"{count} {kind} event(s) stored; node log:{Environment.NewLine}{Node.Output}");

    public async Task<JsonElement[]> ClipsAsync() => (await Http.GetFromJsonAsync<JsonElement[]>("api/clips?limit=1000").ConfigureAwait(false))!;

    public async Task<JsonElement> NodeStatusAsync() => (await Http.GetFromJsonAsync<JsonElement[]>("api/nodes").ConfigureAwait(false))!.Single();

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (Node is not null)
        {
            await Node.DisposeAsync().ConfigureAwait(false);
        }

        if (Server is not null)
        {
            await Server.DisposeAsync().ConfigureAwait(false);
        }

        if (Proxy is not null)
        {
            await Proxy.DisposeAsync().ConfigureAwait(false);
        }

        _root.Dispose();
    }

    private async Task WriteNodeConfigAsync()
    {
        var plugins = PluginsDirectory;
        // The detection plugin (its natives are 200 MB) only for the tests that run it.
        foreach (var builtIn in new[] { "motion", "recording", "sense" }.Concat(_options.CameraPlugins.ContainsKey("detection") ? ["detection"] : []))
        {
            CopyDirectory(Path.Combine(RepositoryPaths.NodePluginsDirectory, builtIn), Path.Combine(plugins, builtIn), subfolders: true);
        }

        var cameraPlugins = new Dictionary<string, object>(_options.CameraPlugins) { ["motion"] = new { GapSeconds = 1 } };
        if (_options.BrokenPlugin)
        {
            Directory.CreateDirectory(Path.Combine(plugins, "broken"));
            await File.WriteAllTextAsync(Path.Combine(plugins, "broken", "plugin.json"), "{ this is not json").ConfigureAwait(false);
            cameraPlugins["broken"] = new { };
        }

        if (_options.RecordMotion)
        {
            cameraPlugins["recording"] = new { PreRollSeconds = 2, _options.PostRollSeconds, MaxClipSeconds = Math.Max(30, 2 + _options.PostRollSeconds + 10) };
        }

        var grpcPort = Proxy?.Port ?? _grpcPort;
        await File.WriteAllTextAsync(ConfigPath, JsonSerializer.Serialize(new
        {
            Node = new { Id = "e2e-node", Name = "E2E node", DataDirectory = NodeData, PluginsDirectory = plugins, MinFreeMegabytes = 0, _options.PluginHangSeconds },
            Server = new
            {
                Addresses = (string[])[.. _options.DeadServerFirst ? [DeadServer] : Array.Empty<string>(), $"http://127.0.0.1:{grpcPort}"],
                ReconnectMaxSeconds = 2,
                MaxUploadKilobytesPerSecond = _options.UploadKilobytesPerSecond,
            },
            Ffmpeg = new { RestartMaxSeconds = 2 },
            UploadPolicy = _options.UploadPolicy ?? new { },
            Metrics = new { NodeMetrics.Port },
            Hardware = new { Simulated = true },
            Microcontroller = new { Port = _options.Sensors ? BoardInput.Port : 0, BindAddress = "127.0.0.1" },
            Sensors = _options.Sensors
                ? new object[]
                {
                    new { Id = "barn", Name = "Barn", Plugin = "sense", Camera = "yard", Settings = new { Device = "bme280", IntervalSeconds = 1 } },
                    new { Id = "vib-1", Name = "Shed board", Plugin = "microcontroller", Settings = new { Token = "board" } },
                }
                : [],
            Cameras = new object[]
            {
                new
                {
                    Id = "yard",
                    Name = "Yard",
                    Source = _options.YardFile is { } file
                        ? (object)new { Kind = "file", Path = file }
                        : new { Kind = "synthetic", Width = 640, Height = 360, Fps = 10, Clock = _options.YardClock },
                    Detect = new { Width = 320, Height = 180, Fps = 5 },
                    SnapshotSeconds = 2,
                    Recording = new
                    {
                        Enabled = _options.RecordMotion || _options.ContinuousClipSeconds > 0 || _options.YardClock,
                        SegmentSeconds = 1,
                        FragmentMilliseconds = _options.YardFragmentMilliseconds,
                        Continuous = _options.ContinuousClipSeconds > 0,
                        ContinuousClipSeconds = Math.Max(_options.ContinuousClipSeconds, 2),
                    },
                    Plugins = cameraPlugins,
                },
            }.Concat(_options.ExtraCameras.Select(id => new
            {
                Id = id,
                Name = char.ToUpperInvariant(id[0]) + id[1..],
                Source = new { Kind = "synthetic", Width = 320, Height = 180, Fps = 5 },
                Detect = new { Width = 160, Height = 90, Fps = 2 },
                // Sent every 30 s on their own, every second while a live grid follows them.
                SnapshotSeconds = 30,
                GridSnapshotSeconds = 1,
                Plugins = new Dictionary<string, object>(),
            })),
        })).ConfigureAwait(false);
    }

    /// <summary>Copies a folder's files (<see cref="FolderCopy.Copy"/>).</summary>
    public static void CopyDirectory(string from, string to, bool subfolders = false) => FolderCopy.Copy(from, to, subfolders);
}
