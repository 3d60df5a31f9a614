using CctvEdge.Plugins.Hosting;
using CctvEdge.Storage;

namespace CctvEdge.Server.Storage;

/// <summary>
/// Files under the data directory, laid out by node and camera. Every path component is an id that passed
/// <see cref="Identifier.IsValid"/> or a name we generate, so no input can steer a path outside the directory.
/// </summary>
internal sealed class MediaStore(string dataDirectory)
{
    public string Root { get; } = Path.GetFullPath(dataDirectory);

    public string SnapshotPath(string nodeId, string cameraId) =>
        Path.Combine(Root, "snapshots", Checked(nodeId), Checked(cameraId) + ".jpg");

    public Task WriteSnapshotAsync(string nodeId, string cameraId, ReadOnlyMemory<byte> jpeg, CancellationToken cancellationToken) =>
        DurableFile.WriteAsync(SnapshotPath(nodeId, cameraId), jpeg, cancellationToken);

    /// <summary>Where a camera's timelapse stills wait for their day's video, one folder per local day.</summary>
    public string TimelapseDirectory(string nodeId, string cameraId) =>
        Path.Combine(TimelapseRoot, Checked(nodeId), Checked(cameraId));

    public string TimelapseRoot => Path.Combine(Root, "timelapse");

    /// <summary>A timelapse clip's poster, relative to the data directory like every other file row.</summary>
    public static string TimelapseThumbnailPath(string nodeId, string cameraId, string clipId) =>
        Path.Combine("files", Checked(nodeId), Checked(cameraId), "timelapse", clipId + ".jpg");

    /// <summary>Stores a result file; returns its path relative to the data directory.</summary>
    public async Task<string> WriteResultFileAsync(string nodeId, string cameraId, ulong sequence, string contentType, DateTimeOffset at, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var extension = contentType switch
        {
            "image/jpeg" => ".jpg",
            "image/png" => ".png",
            _ => ".bin",
        };
        var relative = Path.Combine("files", Checked(nodeId), Checked(cameraId), at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), $"{sequence}{extension}");
        await DurableFile.WriteAsync(Path.Combine(Root, relative), bytes, cancellationToken).ConfigureAwait(false);
        return relative;
    }

    private static string Checked(string id) =>
        Identifier.IsValid(id) ? id : throw new ArgumentException($"'{id}' is not a valid id: {Identifier.Rule}.", nameof(id));
}
