using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CctvEdge.Node.Tests;

/// <summary>JPEG pictures as a push camera sends them: made by ffmpeg, with COM segments put in by hand after SOI.</summary>
internal static class PushPictures
{
    /// <summary>A 640x360 test picture (each <paramref name="seconds"/> a different one), with these comments.</summary>
    public static byte[] Make(double seconds = 0, params string[] comments)
    {
        var time = seconds.ToString("0.###", CultureInfo.InvariantCulture);
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=10", "-ss", time, "-frames:v", "1", "-f", "image2pipe", "-c:v", "mjpeg", "pipe:1"])
        {
            RedirectStandardOutput = true,
        })!;
        using var output = new MemoryStream();
        ffmpeg.StandardOutput.BaseStream.CopyTo(output);
        if (!ffmpeg.WaitForExit(30_000) || ffmpeg.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg could not make a test picture");
        }

        return WithComments(output.ToArray(), comments.Select(Encoding.UTF8.GetBytes).ToArray());
    }

    /// <summary>The JPEG with a COM segment per comment right after SOI, as IQeye cameras write their trigger data.</summary>
    public static byte[] WithComments(byte[] jpeg, params byte[][] comments)
    {
        using var result = new MemoryStream();
        result.Write(jpeg, 0, 2);
        foreach (var comment in comments)
        {
            var length = comment.Length + 2;
            result.Write([0xFF, 0xFE, (byte)(length >> 8), (byte)length]);
            result.Write(comment);
        }

        result.Write(jpeg, 2, jpeg.Length - 2);
        return result.ToArray();
    }
}
