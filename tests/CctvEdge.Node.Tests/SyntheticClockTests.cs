using System.Diagnostics;
using CctvEdge.Node.Cameras;

namespace CctvEdge.Node.Tests;

/// <summary>The wall clock burned into the test picture (Source:Clock) by real ffmpeg, read back off the pixels.</summary>
public sealed class SyntheticClockTests
{
    [Fact]
    public async Task SyntheticScene_Clock_TopRowReadsTheWallClock()
    {
        var source = TestCamera.Options().Source;
        source.Clock = true;
        var width = source.Width / FfmpegArguments.ClockBits;
        var rowY = Math.Max(8, source.Height / 16) / 2;
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", FfmpegArguments.SyntheticScene(source),
            "-frames:v", "20", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"])
        {
            start.ArgumentList.Add(arg);
        }

        using var ffmpeg = Process.Start(start)!;
        try
        {
            _ = ffmpeg.StandardError.ReadToEndAsync();
            var frame = new byte[source.Width * source.Height];
            var readings = new List<(long Clock, long Now)>();
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            for (var i = 0; i < 20; i++)
            {
                await ffmpeg.StandardOutput.BaseStream.ReadExactlyAsync(frame, cancel.Token);
                var row = frame.AsSpan(rowY * source.Width, source.Width);
                var clock = 0L;
                for (var bit = 0; bit < FfmpegArguments.ClockBits; bit++)
                {
                    clock |= row[(bit * width) + (width / 2)] > 128 ? 1L << bit : 0;
                }

                readings.Add((clock, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % (1L << FfmpegArguments.ClockBits)));
            }

            // Frames read as they are made (-re, after the first burst that ffmpeg probes): the clock reads the
            // last frame a moment before now, and runs forward.
            var (lastClock, lastNow) = readings[^1];
            var behind = (lastNow - lastClock + (1L << FfmpegArguments.ClockBits)) % (1L << FfmpegArguments.ClockBits);
            Assert.InRange(behind, 0, 3000);
            Assert.True(readings.Zip(readings.Skip(1)).All(p => ((p.Second.Clock - p.First.Clock + (1L << FfmpegArguments.ClockBits)) % (1L << FfmpegArguments.ClockBits)) < 1000), string.Join(",", readings.Select(r => r.Clock)));
        }
        finally
        {
            if (!ffmpeg.HasExited)
            {
                ffmpeg.Kill();
            }
        }
    }
}
