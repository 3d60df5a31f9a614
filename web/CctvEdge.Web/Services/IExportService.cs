using System.Globalization;

namespace CctvEdge.Web.Services;

/// <summary>What to export: clips of these cameras (all when empty) that overlap [From, To).</summary>
public sealed record ExportSelection(IReadOnlyList<CameraKey> Cameras, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>The zip download of this selection, for a link.</summary>
    public string ZipUrl => string.Create(CultureInfo.InvariantCulture,
        $"api/export.zip?cameras={Uri.EscapeDataString(string.Join(',', Cameras))}&from={Uri.EscapeDataString(From.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(To.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))}");
}

/// <summary>How much a selection holds.</summary>
public sealed record ExportPlan(int Clips, long Bytes);

/// <summary>A folder on the server an admin may export into (Server:ExportDirectories).</summary>
public sealed record ExportTarget(int Index, string Path, long? FreeBytes);

public enum ExportState
{
    Copying,
    Verifying,
    Done,
    Failed,
    Cancelled,
}

/// <summary>Where a copy to a server folder stands.</summary>
public sealed record ExportProgress(string Id, ExportState State, string Folder, int Files, long Bytes, int FilesCopied, long BytesCopied, int FilesVerified, string? Error)
{
    public double Percent => State is ExportState.Done ? 100
        : Bytes == 0 ? 0
        : State == ExportState.Verifying ? 50 + (50.0 * FilesVerified / Math.Max(1, Files))
        : 50.0 * BytesCopied / Bytes;
}

/// <summary>Exports of clips: a zip download for anyone signed in, a copy to a server folder for admins.</summary>
public interface IExportService
{
    Task<ExportPlan> PlanAsync(ExportSelection selection, CancellationToken cancellationToken);

    /// <summary>The folders of Server:ExportDirectories.</summary>
    IReadOnlyList<ExportTarget> Targets { get; }

    /// <summary>Starts copying into a new subfolder <paramref name="name"/> of target <paramref name="targetIndex"/>; admins only.</summary>
    Task<ExportProgress> StartCopyAsync(ExportSelection selection, int targetIndex, string name, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="onChange"/> as the copy progresses, until disposed.</summary>
    IDisposable Watch(string exportId, Action<ExportProgress> onChange);

    void Cancel(string exportId);
}
