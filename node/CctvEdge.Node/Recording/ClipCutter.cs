using System.Security.Cryptography;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Storage;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Recording;

/// <summary>
/// Cuts one clip: concatenates the ring's segments with <c>-c copy</c> into a faststart MP4 (moov first, so browsers
/// start playing at once), takes a JPEG thumbnail from its middle, then makes it durable in this order: fsync the
/// file, rename it into the outbox, fsync the directory, and only then commit the clip's row (with its announcement).
/// </summary>
internal sealed partial class ClipCutter(ClipQueue queue, IProcessRunner processes, FfmpegOptions ffmpeg, ILogger logger)
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(2);

    public async Task CutAsync(ClipJob job, IReadOnlyList<Segment> segments, CancellationToken cancellationToken)
    {
        var work = Path.Combine(queue.Directory, "tmp");
        Directory.CreateDirectory(work);
        var list = Path.Combine(work, job.Id + ".txt");
        var cut = Path.Combine(work, job.Id + ".mp4");
        try
        {
            // The concat demuxer's list quotes paths in single quotes; a quote inside is written '\''.
            await File.WriteAllLinesAsync(list, segments.Select(s => "file '" + s.Path.Replace("'", @"'\''", StringComparison.Ordinal) + "'"), cancellationToken).ConfigureAwait(false);
            await RunAsync(["-nostdin", "-hide_banner", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", list, "-c", "copy", "-movflags", "+faststart", "-y", cut], cancellationToken).ConfigureAwait(false);
            var clip = new PendingClip(job.Id, job.CameraId, job.EventId, segments[0].Start, segments[^1].End, 0, [], "", 0);
            var size = await DeliverAsync(clip, job.Reason, cut, cancellationToken).ConfigureAwait(false);
            LogCut(logger, job.Id, job.CameraId, clip.Start, clip.End, size, segments.Count);
        }
        finally
        {
            foreach (var leftover in new[] { list, cut })
            {
                File.Delete(leftover);
            }
        }
    }

    /// <summary>
    /// Hands a finished MP4 (faststart, in the outbox's tmp folder) to the outbox: a thumbnail from its middle, fsync,
    /// rename into the outbox, fsync the folder, then the clip's row and announcement in one commit. Clips made
    /// elsewhere (a push camera's pictures) go the same way. Returns the clip's size in bytes.
    /// </summary>
    public async Task<long> DeliverAsync(PendingClip clip, string reason, string mp4, CancellationToken cancellationToken)
    {
        var clips = Path.Combine(queue.Directory, "clips");
        Directory.CreateDirectory(clips);
        var thumbnail = Path.ChangeExtension(mp4, ".jpg");
        try
        {
            var middle = (clip.End - clip.Start).TotalSeconds / 2;
            byte[]? jpeg = null;
            try
            {
                await RunAsync(["-nostdin", "-hide_banner", "-loglevel", "error", "-ss", middle.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), "-i", mp4, "-frames:v", "1", "-vf", "scale=320:-2", "-q:v", "5", "-update", "1", "-y", thumbnail], cancellationToken).ConfigureAwait(false);
                jpeg = await File.ReadAllBytesAsync(thumbnail, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                LogNoThumbnail(logger, clip.Id, ex.Message);
            }

            var (size, sha256) = await FsyncAndHashAsync(mp4, cancellationToken).ConfigureAwait(false);
            var relative = ClipPath(clip.Id);
            File.Move(mp4, Path.Combine(queue.Directory, relative), overwrite: true);
            DurableFile.FsyncDirectory(clips);
            await queue.CompleteJobAsync(clip with { Size = size, Sha256 = sha256, Path = relative }, reason, jpeg, cancellationToken).ConfigureAwait(false);
            return size;
        }
        finally
        {
            File.Delete(thumbnail);
        }
    }

    /// <summary>Runs ffmpeg with these arguments to the end; throws <see cref="IOException"/> when it fails.</summary>
    internal async Task RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        await using var process = processes.Start(ffmpeg.Path, arguments);
        var exitCode = await process.Exited.WaitAsync(ToolTimeout, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new IOException($"ffmpeg exited with code {exitCode}: {process.RecentErrors}");
        }
    }

    private static string ClipPath(string clipId) => Path.Combine("clips", clipId + ".mp4");

    private static async Task<(long Size, byte[] Sha256)> FsyncAndHashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        file.Flush(flushToDisk: true);
        var hash = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
        return (file.Length, hash);
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "Clip {ClipId} of camera {CameraId} cut: {Start:u} to {End:u}, {Bytes} bytes from {Segments} segment(s).")]
    private static partial void LogCut(ILogger logger, string clipId, string cameraId, DateTimeOffset start, DateTimeOffset end, long bytes, int segments);

    [LoggerMessage(EventId = 611, Level = LogLevel.Warning, Message = "Clip {ClipId}: no thumbnail ({Error}); the clip goes without one.")]
    private static partial void LogNoThumbnail(ILogger logger, string clipId, string error);
}
