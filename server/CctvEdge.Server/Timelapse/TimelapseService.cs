using CctvEdge.Server.Hosting;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Timelapse;

/// <summary>
/// Makes each camera's timelapse of every finished local day that has stills: shortly after midnight, or when the
/// server comes back after being down at midnight. A day that failed (no ffmpeg, say) is tried again an hour later,
/// and its stills are dropped after <c>Timelapse:KeepStillsDays</c> so a broken encoder cannot fill the disk.
/// </summary>
internal sealed partial class TimelapseService(
    TimelapseStills stills,
    TimelapseBuilder builder,
    IOptionsMonitor<TimelapseOptions> options,
    TimeProvider clock,
    Leadership leadership,
    ILogger<TimelapseService> logger) : PeriodicService(clock, leadership, logger)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromHours(1);
    private readonly Dictionary<(CameraRef Camera, DateOnly Day), DateTimeOffset> _retryAt = [];

    protected override TimeSpan FirstDelay => TimeSpan.FromSeconds(30);

    protected override TimeSpan Interval => TimeSpan.FromMinutes(5);

    protected override Task RunPassAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    /// <summary>One pass; returns how many timelapses it stored.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!options.CurrentValue.Enabled)
        {
            return 0;
        }

        var now = Clock.GetUtcNow();
        var today = LocalDay.Today(Clock);
        var built = 0;
        foreach (var camera in stills.Cameras())
        {
            foreach (var day in stills.Days(camera).Where(d => d < today))
            {
                if (day < today.AddDays(-options.CurrentValue.KeepStillsDays))
                {
                    stills.DeleteDay(camera, day);
                    LogStillsDropped(logger, camera.NodeId, camera.CameraId, day);
                    continue;
                }

                if (_retryAt.TryGetValue((camera, day), out var at) && at > now)
                {
                    continue;
                }

                var outcome = await builder.BuildAsync(camera, day, cancellationToken).ConfigureAwait(false);
                if (outcome.Status == TimelapseStatus.Failed)
                {
                    _retryAt[(camera, day)] = now + RetryAfter;
                }
                else
                {
                    _retryAt.Remove((camera, day));
                    built += outcome.Status == TimelapseStatus.Built ? 1 : 0;
                }
            }
        }

        return built;
    }

    [LoggerMessage(EventId = 166, Level = LogLevel.Warning, Message = "Timelapse stills of {NodeId}.{CameraId} for {Day:yyyy-MM-dd} deleted unused: older than Timelapse:KeepStillsDays.")]
    private static partial void LogStillsDropped(ILogger logger, string nodeId, string cameraId, DateOnly day);
}
