using System.Globalization;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Api;

/// <summary>
/// The storage page: clip bytes per camera and local day (the days of the events page), and for each disk the days
/// until full at its average growth over the last <see cref="ForecastDays"/> days: the clip bytes stored per day for
/// the server's disks, the fall in free space between daily readings for a node's disk.
/// </summary>
internal sealed class StorageQuery(ClipQueries clips, NodeStore nodes, ServerDisks disks, TimeProvider clock) : IStorageQuery
{
    public const int ForecastDays = 7;

    public async Task<StorageModel> GetAsync(int days, string? site, CancellationToken cancellationToken)
    {
        days = Math.Clamp(days, 1, 366);
        var today = LocalDay.Today(clock);
        var first = today.AddDays(1 - days);
        var from = LocalDay.Bounds(first).Start.ToUnixTimeMilliseconds();
        var to = LocalDay.Bounds(today).End.ToUnixTimeMilliseconds();
        var rows = await clips.DailyBytesAsync(from, to, site, cancellationToken).ConfigureAwait(false);
        var (total, before) = await clips.TotalsAsync(from, site, cancellationToken).ConfigureAwait(false);
        var names = (await nodes.ListCamerasAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => (c.NodeId, c.Id), c => c.Name);
        var cells = rows.Select(r => new StorageCell(
            new CameraKey(r.NodeId, r.CameraId),
            names.GetValueOrDefault((r.NodeId, r.CameraId), r.CameraId),
            DateOnly.ParseExact(r.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            r.Bytes,
            r.Clips)).ToList();

        var recent = today.AddDays(1 - ForecastDays);
        var clipGrowth = StorageForecast.DailyGrowth(cells.Where(c => c.Day >= recent).Sum(c => c.Bytes), ForecastDays);
        // The server's disks hold every site's clips: they belong to the whole fleet's view, not to one site's.
        var forecasts = site is not null ? [] : disks.Read().Select(d => new DiskForecast(d, clipGrowth, StorageForecast.DaysUntilFull(d.FreeBytes, clipGrowth))).ToList();
        forecasts.AddRange(await NodeForecastsAsync(recent, site, cancellationToken).ConfigureAwait(false));
        return new StorageModel(Enumerable.Range(0, days).Select(first.AddDays).ToList(), cells, total, before, forecasts);
    }

    private async Task<IEnumerable<DiskForecast>> NodeForecastsAsync(DateOnly since, string? site, CancellationToken cancellationToken)
    {
        var names = (await nodes.ListNodesAsync(cancellationToken).ConfigureAwait(false)).Where(n => site is null || n.Site == site).ToDictionary(n => n.Id, n => n.Name, StringComparer.Ordinal);
        var readings = await nodes.DiskDaysAsync(since.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        return readings.Where(r => names.ContainsKey(r.NodeId)).GroupBy(r => r.NodeId).Select(node =>
        {
            var (oldest, latest) = (node.First(), node.Last());
            var span = (DateOnly.ParseExact(latest.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber - DateOnly.ParseExact(oldest.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber);
            var growth = StorageForecast.DailyGrowth(oldest.FreeBytes - latest.FreeBytes, span);
            return new DiskForecast(new DiskView(names.GetValueOrDefault(node.Key, node.Key), latest.FreeBytes, latest.TotalBytes), growth, StorageForecast.DaysUntilFull(latest.FreeBytes, growth));
        });
    }
}
