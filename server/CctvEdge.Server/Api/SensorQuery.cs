using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Api;

/// <summary>
/// Sensors and their charts, for the page and the REST API. A range is read at the finest resolution that both still
/// holds its start (raw readings are kept for days, minutes for months) and keeps the work small (raw up to
/// <see cref="RawSpan"/>, minutes up to <see cref="MinuteSpan"/>), then merged into at most <see cref="MaxPoints"/>
/// buckets per series: a year's chart reads ~8,760 hour rows, not half a million minutes.
/// </summary>
internal sealed class SensorQuery(SensorQueries queries, SensorThresholdStore thresholds, IOptionsMonitor<SensorOptions> options, TimeProvider clock) : ISensorQuery
{
    public const int MaxPoints = 1000;
    public static readonly TimeSpan RawSpan = TimeSpan.FromHours(6);
    public static readonly TimeSpan MinuteSpan = TimeSpan.FromDays(31);

    public async Task<IReadOnlyList<SensorView>> ListAsync(CancellationToken cancellationToken)
    {
        var sensors = await queries.ListSensorsAsync(cancellationToken).ConfigureAwait(false);
        var series = (await queries.ListSeriesAsync(null, null, cancellationToken).ConfigureAwait(false)).ToLookup(s => (s.NodeId, s.SensorId));
        var now = clock.GetUtcNow();
        var staleAfter = TimeSpan.FromMinutes(options.CurrentValue.StaleMinutes);
        return sensors.Select(s =>
        {
            var own = series[(s.NodeId, s.Id)].ToList();
            var lastMs = own.Select(r => r.LastMs).Append(s.LastReadMs).Max();
            DateTimeOffset? lastSeen = lastMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            return new SensorView(
                s.NodeId,
                s.Id,
                s.Name,
                s.Kind,
                s.PluginId,
                s.CameraId,
                s.State,
                s.Error,
                own.ToDictionary(r => r.Name, r => r.Unit, StringComparer.Ordinal),
                own.Where(r => r.LastValue is not null).ToDictionary(r => r.Name, r => r.LastValue!.Value, StringComparer.Ordinal),
                lastSeen,
                lastSeen is null || now - lastSeen > staleAfter);
        }).ToList();
    }

    public async Task<SensorReadings?> ReadingsAsync(string node, string sensor, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (await queries.FindSensorAsync(node, sensor, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var resolution = ResolutionFor(from, to, clock.GetUtcNow(), options.CurrentValue);
        var (fromMs, toMs) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        var bucket = BucketMs(toMs - fromMs, resolution);
        var result = new List<SensorSeries>();
        foreach (var s in await queries.ListSeriesAsync(node, sensor, cancellationToken).ConfigureAwait(false))
        {
            var points = await queries.PointsAsync(s.Id, resolution, fromMs, toMs, bucket, cancellationToken).ConfigureAwait(false);
            result.Add(new SensorSeries(s.Name, s.Unit, points.Select(p => new SensorPoint(DateTimeOffset.FromUnixTimeMilliseconds(p.AtMs), p.Min, p.Avg, p.Max)).ToList()));
        }

        return new SensorReadings(node, sensor, from, to, resolution.Name, result);
    }

    public async Task<IReadOnlyList<SensorThreshold>> ThresholdsAsync(string node, string sensor, CancellationToken cancellationToken) =>
        (await thresholds.ListAsync(node, sensor, cancellationToken).ConfigureAwait(false)).Select(SensorApi.View).ToList();

    /// <summary>The finest resolution that still holds <paramref name="from"/> and is fine enough for the span, not finer.</summary>
    internal static SensorResolution ResolutionFor(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, SensorOptions settings)
    {
        var span = to - from;
        if (span <= RawSpan && from >= now.AddDays(-settings.RawDays))
        {
            return SensorQueries.Raw;
        }

        return span <= MinuteSpan && from >= now.AddDays(-settings.MinuteDays) ? SensorQueries.Minute : SensorQueries.Hour;
    }

    /// <summary>The bucket that keeps a span to <see cref="MaxPoints"/> or so: a whole number of the resolution's buckets.</summary>
    internal static long BucketMs(long spanMs, SensorResolution resolution)
    {
        var wanted = Math.Max(1, (spanMs + MaxPoints - 1) / MaxPoints);
        return Math.Max(1, (wanted + resolution.SizeMs - 1) / resolution.SizeMs) * resolution.SizeMs;
    }
}
