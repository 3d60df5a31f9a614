using System.Globalization;

namespace CctvEdge.Node.Cameras.Push;

/// <summary>
/// Decodes one pushed JPEG with ffmpeg, in one run: the gray frame the plugins see (the camera's detection size) and
/// the snapshot (no wider than the camera's snapshot width). A picture ffmpeg cannot decode gives null and the reason.
/// </summary>
internal sealed class PushPictureDecoder(IProcessRunner processes, FfmpegOptions ffmpeg)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task<(byte[]? Gray, string Error)> DecodeAsync(string jpeg, CameraOptions camera, string snapshot, CancellationToken cancellationToken)
    {
        var (width, height) = (camera.Detect.Width, camera.Detect.Height);
        var filter = string.Create(CultureInfo.InvariantCulture, $"[0:v]split=2[d][s];[d]scale={width}:{height},format=gray[g];[s]scale='min(iw,{camera.SnapshotMaxWidth})':-2[t]");
        string[] arguments =
        [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-xerror", "-i", jpeg, "-filter_complex", filter,
            "-map", "[g]", "-frames:v", "1", "-f", "rawvideo", "pipe:1",
            "-map", "[t]", "-frames:v", "1", "-q:v", "5", "-update", "1", "-y", snapshot,
        ];
        await using var process = processes.Start(ffmpeg.Path, arguments);
        var size = width * height;
        var buffer = SharedFrame.Rent(width, height);
        try
        {
            var read = await process.Output.ReadAtLeastAsync(buffer.AsMemory(0, size), size, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var exitCode = await process.Exited.WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
            if (exitCode != 0 || read < size)
            {
                SharedFrame.Return(buffer);
                return (null, $"ffmpeg could not decode it (exit code {exitCode}): {process.RecentErrors}".Trim());
            }

            return (buffer, "");
        }
        catch
        {
            SharedFrame.Return(buffer);
            throw;
        }
    }
}
