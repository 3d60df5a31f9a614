using System.Diagnostics;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Plugins;
using CctvEdge.Node.Uplink.Policy;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Uplink;

/// <summary>Builds the hello and heartbeat messages from the runtime's state.</summary>
internal sealed class NodeStatusCollector(
    NodeRuntime runtime,
    IOptions<NodeOptions> node,
    IOptions<ServerConnectionOptions> server,
    IResultOutbox outbox,
    ClipQueue clips,
    UploadStatus uploads,
    UploadGate gate,
    UploadPolicy policy,
    TimeProvider clock)
{
    public const uint ProtocolVersion = 1;
    public static readonly string AgentVersion = typeof(NodeStatusCollector).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Segments this close are one run of recorded video (a camera restart leaves a second or two).</summary>
    internal static readonly TimeSpan RecordedJoin = TimeSpan.FromSeconds(5);

    /// <summary>Recorded runs per camera in a heartbeat: the closest are merged beyond it.</summary>
    internal const int MaxRecordedRanges = 200;

    private readonly CpuTemperature _temperature = new();
    private TimeSpan _lastCpu;
    private DateTimeOffset _lastSample = DateTimeOffset.MinValue;
    private int _sentCatalogGeneration = -1;
    private CamerasOptions? _sentCameras;

    public Hello BuildHello()
    {
        var hello = new Hello
        {
            NodeId = node.Value.Id,
            NodeName = node.Value.DisplayName,
            Credential = server.Value.Credential,
            AgentVersion = AgentVersion,
            Hostname = Environment.MachineName,
            ProtocolVersion = ProtocolVersion,
            NodeTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
        };
        var configured = runtime.Configured;
        hello.Cameras.AddRange(CameraInfos(configured));
        hello.ConfigVersion = configured.Version;
        hello.CamerasJson = configured.Json;
        _sentCameras = configured;
        hello.Plugins.AddRange(InstalledPlugins());
        hello.Sensors.AddRange(runtime.Sensors);
        return hello;
    }

    /// <summary>Every configured camera, deactivated ones included, with the plugins now watching it.</summary>
    private IEnumerable<CameraInfo> CameraInfos(CamerasOptions configured)
    {
        var instances = runtime.Instances;
        foreach (var c in configured.Items)
        {
            var info = new CameraInfo
            {
                Id = c.Id,
                Name = c.DisplayName,
                SourceKind = c.Source.Kind,
                DetectWidth = (uint)c.Detect.Width,
                DetectHeight = (uint)c.Detect.Height,
                DetectFps = c.Detect.Fps,
                Deactivated = !c.Enabled,
            };
            info.PluginIds.AddRange(instances.Where(i => i.CameraId == c.Id).Select(i => i.PluginId));
            yield return info;
        }
    }

    /// <summary>The installed plugins with their settings schemas; remembers what was sent, for heartbeats.</summary>
    private IEnumerable<PluginInfo> InstalledPlugins()
    {
        var catalog = runtime.Catalog;
        _sentCatalogGeneration = catalog.Generation;
        return catalog.Plugins.Select(plugin => new PluginInfo
        {
            Id = plugin.Id,
            Version = plugin.Version,
            Description = plugin.Description,
            State = plugin.IsLoaded ? PluginState.Running : PluginState.Failed,
            Error = plugin.Error ?? "",
            SettingsSchemaJson = plugin.SettingsSchema,
        });
    }

    private UploadPolicyStatus PolicyStatus()
    {
        var hold = gate.Hold;
        var status = new UploadPolicyStatus
        {
            Clips = policy.Options.Clips,
            WindowOpen = hold.WindowOpen,
            BudgetBytes = (ulong)gate.BudgetBytes,
            UsedBytes = (ulong)gate.UsedBytes,
            HeldClips = (ulong)hold.HeldClips,
            HeldReason = hold.Reason,
            KeptOnNode = (ulong)policy.KeptOnNode,
        };
        status.Windows.AddRange(policy.Options.Windows);
        return status;
    }

    public async Task<Heartbeat> BuildHeartbeatAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (pendingClips, pendingClipBytes, oldestWaiting) = await clips.StatsAsync(cancellationToken).ConfigureAwait(false);
        var heartbeat = new Heartbeat
        {
            NodeTime = Timestamp.FromDateTimeOffset(now),
            UptimeSeconds = (ulong)Math.Max(0, (now - runtime.StartedAt).TotalSeconds),
            PendingResults = (ulong)outbox.PendingCount,
            LostResults = (ulong)outbox.LostCount,
            PendingClips = (ulong)pendingClips,
            PendingClipBytes = (ulong)pendingClipBytes,
            UploadError = uploads.Error,
            LostClips = (ulong)uploads.LostClips,
            UploadPolicy = PolicyStatus(),
        };
        FillResources(heartbeat, now);
        if (_temperature.Read() is { } celsius)
        {
            heartbeat.CpuTemperatureCelsius = celsius;
        }

        if (oldestWaiting is { } oldest)
        {
            heartbeat.OldestPendingAt = Timestamp.FromDateTimeOffset(oldest);
        }

        heartbeat.Sensors.AddRange(runtime.Sensors);
        var configured = runtime.Configured;
        heartbeat.ConfigVersion = configured.Version;
        if (!ReferenceEquals(configured, _sentCameras))
        {
            heartbeat.CameraSet = new CameraSet();
            heartbeat.CameraSet.Cameras.AddRange(CameraInfos(configured));
            _sentCameras = configured;
        }

        if (runtime.Catalog.Generation != _sentCatalogGeneration)
        {
            heartbeat.InstalledPlugins = new InstalledPlugins();
            heartbeat.InstalledPlugins.Plugins.AddRange(InstalledPlugins());
        }

        foreach (var camera in runtime.Cameras)
        {
            var (state, error, frames, lastFrameAt, fps) = camera.Status.Read();
            var status = new CameraStatus
            {
                CameraId = camera.Camera.Id,
                State = state switch
                {
                    CameraRunState.Running => CameraState.Running,
                    CameraRunState.Failed => CameraState.Failed,
                    CameraRunState.Stopped => CameraState.Stopped,
                    _ => CameraState.Starting,
                },
                Error = error,
                FramesTotal = (ulong)frames,
                FramesPerSecond = Math.Round(fps, 2),
            };
            if (lastFrameAt is { } at)
            {
                status.LastFrameAt = Timestamp.FromDateTimeOffset(at);
            }

            foreach (var (start, end) in camera.Ring.Ranges(RecordedJoin, MaxRecordedRanges))
            {
                status.Recorded.Add(new TimeRange { Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(end) });
            }

            heartbeat.Cameras.Add(status);
        }

        foreach (var instance in runtime.Instances)
        {
            var (processed, dropped, errors, overBudget) = instance.Counters;
            heartbeat.Plugins.Add(new PluginInfo
            {
                Id = instance.PluginId,
                CameraId = instance.CameraId,
                Version = instance.Version,
                State = instance.State == InstanceState.Failed ? PluginState.Failed : instance.State == InstanceState.Disabled ? PluginState.Disabled : PluginState.Running,
                Error = instance.Error,
                FramesProcessed = (ulong)processed,
                FramesDropped = (ulong)dropped,
                Errors = (ulong)errors,
                CallsOverBudget = (ulong)overBudget,
                Warning = instance.Warning,
            });
        }

        return heartbeat;
    }

    /// <summary>CPU and memory of the agent and its ffmpeg processes together: what CctvEdge costs the box.</summary>
    private void FillResources(Heartbeat heartbeat, DateTimeOffset now)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        long memory = self.WorkingSet64;
        foreach (var camera in runtime.Cameras)
        {
            if (camera.Process is { } ffmpeg)
            {
                cpu += ffmpeg.TotalProcessorTime;
                memory += ffmpeg.WorkingSet;
            }
        }

        var wall = now - _lastSample;
        if (_lastSample != DateTimeOffset.MinValue && wall > TimeSpan.Zero && cpu >= _lastCpu)
        {
            heartbeat.CpuPercent = Math.Round((cpu - _lastCpu).TotalSeconds / wall.TotalSeconds * 100, 1);
        }

        _lastCpu = cpu;
        _lastSample = now;
        heartbeat.MemoryBytes = (ulong)memory;
        try
        {
            var drive = new DriveInfo(node.Value.ResolvedDataDirectory);
            heartbeat.DiskFreeBytes = (ulong)drive.AvailableFreeSpace;
            heartbeat.DiskTotalBytes = (ulong)drive.TotalSize;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Disk figures are informative; a failure to read them must not stop heartbeats.
        }
    }
}
