namespace CctvEdge.Web.Services;

/// <summary>Bytes of stored clips of one camera on one (UTC) day.</summary>
public sealed record StorageCell(CameraKey Camera, string CameraName, DateOnly Day, long Bytes, long Clips);

/// <summary>A disk and how soon it fills at its recent rate; null days when it is not filling.</summary>
public sealed record DiskForecast(DiskView Disk, double? DailyGrowthBytes, double? DaysUntilFull);

/// <summary>Everything the storage page shows for the last <see cref="Days"/>.</summary>
public sealed record StorageModel(
    IReadOnlyList<DateOnly> Days,
    IReadOnlyList<StorageCell> Cells,
    long TotalBytes,
    long BytesBeforeWindow,
    IReadOnlyList<DiskForecast> Disks);

/// <summary>Reads clip storage by day and camera, and the disks' forecasts.</summary>
public interface IStorageQuery
{
    /// <summary>
    /// The last <paramref name="days"/> local days, today included, of one site's nodes (their clips and disks) or,
    /// with a null site, of every node and the server's own disks.
    /// </summary>
    Task<StorageModel> GetAsync(int days, string? site, CancellationToken cancellationToken);
}

/// <summary>How long a disk lasts at its recent growth.</summary>
public static class StorageForecast
{
    /// <summary>The average growth per day over the days given: the forecast's rate.</summary>
    public static double? DailyGrowth(long grownBytes, double days) => days > 0 ? grownBytes / days : null;

    /// <summary>Free space over daily growth; null when the disk is not filling.</summary>
    public static double? DaysUntilFull(long freeBytes, double? dailyGrowthBytes) =>
        dailyGrowthBytes is > 0 ? Math.Max(0, freeBytes) / dailyGrowthBytes.Value : null;
}
