using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using CctvEdge.Server.Plugins.Sdk;
using CctvEdge.Server.Timelapse;

namespace CctvEdge.Server.Processors.Media;

/// <summary>
/// Decodes a picture or a clip to RGB24 with ffmpeg for processors: ffmpeg writes binary PPM images to its standard
/// output (each with its own size in its header), so the server needs no image library and a processor no codec.
/// Argument lists, stderr drained, ffmpeg killed when the caller stops reading or is cancelled.
/// </summary>
internal sealed class FfmpegPictures(string ffmpegPath)
{
    /// <summary>The frames of <paramref name="input"/>: all of a picture, or a clip sampled at <paramref name="framesPerSecond"/>.</summary>
    public async IAsyncEnumerable<RgbImage> DecodeAsync(string input, double? framesPerSecond, int maxWidth, int maxFrames, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scale = string.Create(CultureInfo.InvariantCulture, $"scale='min({maxWidth},iw)':-2");
        var filter = framesPerSecond is { } fps ? string.Create(CultureInfo.InvariantCulture, $"fps={fps},{scale}") : scale;
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-i", input, "-vf", filter,
            "-frames:v", maxFrames.ToString(CultureInfo.InvariantCulture), "-f", "image2pipe", "-c:v", "ppm", "-pix_fmt", "rgb24", "-",
        ];
        using var process = new Process { StartInfo = ServerFfmpeg.StartInfo(ffmpegPath, arguments) };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(ServerFfmpeg.CannotStart(ffmpegPath, ex), ex);
        }

        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            var output = process.StandardOutput.BaseStream;
            var index = 0;
            while (await PpmReader.ReadAsync(output, cancellationToken).ConfigureAwait(false) is { } picture)
            {
                var offset = framesPerSecond is { } rate ? TimeSpan.FromSeconds(index++ / rate) : TimeSpan.Zero;
                yield return new RgbImage(picture.Width, picture.Height, picture.Pixels, offset);
            }

            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                var error = (await errors.ConfigureAwait(false)).Trim();
                throw new InvalidDataException(Failed(input, process.ExitCode, error));
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static string Failed(string input, int exitCode, string error) =>
        string.Create(CultureInfo.InvariantCulture, $"ffmpeg could not decode {Path.GetFileName(input)} (exit code {exitCode}): {error}");
}
