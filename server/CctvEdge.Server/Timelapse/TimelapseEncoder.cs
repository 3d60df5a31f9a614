using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Timelapse;

/// <summary>
/// Runs ffmpeg once over a folder of numbered stills (<c>000000.jpg</c>, ...) into a faststart H.264 MP4. The same rules
/// as the node's process runner (argument lists, stderr always drained, killed when it overruns), in a one-shot form:
/// the server runs no long-lived ffmpeg, and the node's runner lives in the node and carries its camera handling.
/// </summary>
internal sealed partial class TimelapseEncoder(IOptionsMonitor<TimelapseOptions> options, ILogger<TimelapseEncoder> logger)
{
    private const int KeptErrorLines = 12;

    /// <summary>The output size for stills of <paramref name="width"/>×<paramref name="height"/>: at most MaxWidth wide, both even (yuv420p needs it).</summary>
    public static (int Width, int Height) OutputSize(int width, int height, int maxWidth)
    {
        var w = Math.Max(2, Math.Min(width, maxWidth) / 2 * 2);
        var h = Math.Max(2, (int)Math.Round(height * (double)w / width / 2) * 2);
        return (w, h);
    }

    /// <summary>Encodes; null when the MP4 is written, else why not (ffmpeg missing, its last error lines, a timeout).</summary>
    public async Task<string?> EncodeAsync(string framesDirectory, int width, int height, string output, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var (w, h) = OutputSize(width, height, settings.MaxWidth);
        var fps = settings.FramesPerSecond.ToString(CultureInfo.InvariantCulture);
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-framerate", fps, "-start_number", "0", "-i", Path.Combine(framesDirectory, "%06d.jpg"),
            // A fixed size, so a camera whose resolution changed during the day does not break the encode midway.
            "-vf", string.Create(CultureInfo.InvariantCulture, $"scale={w}:{h},format=yuv420p"),
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-r", fps,
            "-movflags", "+faststart", "-f", "mp4", output,
        ];
        using var process = new Process { StartInfo = ServerFfmpeg.StartInfo(settings.FfmpegPath, arguments, redirectInput: true) };
        var errors = new Queue<string>();
        // stderr is always drained: a full pipe would stall ffmpeg until the timeout.
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                lock (errors)
                {
                    errors.Enqueue(e.Data);
                    while (errors.Count > KeptErrorLines)
                    {
                        errors.Dequeue();
                    }
                }
            }
        };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            return ServerFfmpeg.CannotStart(settings.FfmpegPath, ex);
        }

        process.StandardInput.Close();
        process.BeginErrorReadLine();
        var drainOutput = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(settings.EncodeTimeoutMinutes));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogKilled(logger, process.Id);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return $"ffmpeg took longer than {settings.EncodeTimeoutMinutes} min (Timelapse:EncodeTimeoutMinutes)";
        }

        await drainOutput.ConfigureAwait(false);
        // WaitForExitAsync returns after stderr reached its end, so the last lines are in.
        if (process.ExitCode != 0)
        {
            lock (errors)
            {
                return string.Create(CultureInfo.InvariantCulture, $"ffmpeg exited with code {process.ExitCode}: {string.Join(" | ", errors)}");
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 163, Level = LogLevel.Warning, Message = "Timelapse ffmpeg (process {Pid}) overran its time or was cancelled; killed.")]
    private static partial void LogKilled(ILogger logger, int pid);
}
