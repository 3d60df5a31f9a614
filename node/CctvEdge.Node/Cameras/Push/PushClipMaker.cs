using System.Globalization;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Recording;

namespace CctvEdge.Node.Cameras.Push;

/// <summary>
/// Makes a burst's pictures into an H.264 MP4 (faststart, yuv420p, as browsers play it) and hands it to the outbox the
/// way every clip goes (<see cref="ClipCutter.DeliverAsync"/>). Each picture stays on screen until the next one came
/// (0.1 to 2 s), the last for one second; all are scaled to the first picture's size, since cameras may change size.
/// </summary>
internal sealed class PushClipMaker(ClipQueue queue, ClipCutter cutter)
{
    public const string Reason = "event";
    private const int OutputFps = 10;

    /// <summary>Makes and delivers the burst's clip; returns its size in bytes. Throws <see cref="IOException"/> when ffmpeg fails.</summary>
    public async Task<long> MakeAsync(string cameraId, StoredBurst burst, (int Width, int Height) size, CancellationToken cancellationToken)
    {
        var work = Path.Combine(queue.Directory, "tmp");
        Directory.CreateDirectory(work);
        var list = Path.Combine(work, burst.Id + ".ffconcat");
        var mp4 = Path.Combine(work, burst.Id + ".mp4");
        try
        {
            await File.WriteAllTextAsync(list, ConcatList(burst.Images), cancellationToken).ConfigureAwait(false);
            var scale = string.Create(CultureInfo.InvariantCulture, $"scale={Even(size.Width)}:{Even(size.Height)},format=yuv420p");
            await cutter.RunAsync(
                [
                    "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", list,
                    "-vf", scale, "-r", OutputFps.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "veryfast",
                    "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-an", "-y", mp4,
                ],
                cancellationToken).ConfigureAwait(false);
            var start = burst.Images[0].Time;
            var end = burst.Images[^1].Time;
            var clip = new PendingClip(burst.Id, cameraId, burst.Id, start, end > start ? end : start.AddSeconds(1), 0, [], "", 0);
            return await cutter.DeliverAsync(clip, Reason, mp4, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(list);
            File.Delete(mp4);
        }
    }

    /// <summary>The concat demuxer's list: each picture with how long it shows; the last is named twice, or its duration is ignored.</summary>
    internal static string ConcatList(IReadOnlyList<BurstImage> images)
    {
        var lines = new List<string> { "ffconcat version 1.0" };
        for (var i = 0; i < images.Count; i++)
        {
            var seconds = i + 1 < images.Count ? Math.Clamp((images[i + 1].Time - images[i].Time).TotalSeconds, 0.1, 2) : 1;
            lines.Add(File(images[i].Path));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"duration {seconds:0.###}"));
        }

        lines.Add(File(images[^1].Path));
        return string.Join('\n', lines) + "\n";

        // Quoted in single quotes; a quote inside is written '\''.
        static string File(string path) => "file '" + path.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
    }

    private static int Even(int value) => Math.Max(2, value / 2 * 2);
}
