using System.Diagnostics;
using CctvEdge.Plugins.Detection.Internal.Model;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Detection.Tests;

/// <summary>
/// Backend <c>opencv-hog</c> on real footage: OpenCV's own sample of people walking in a street (<c>vtest.avi</c>, Debian
/// <c>opencv-doc</c>, which scripts/test.sh installs), decoded by ffmpeg to the RGB24 frames the node gives plugins.
/// </summary>
public sealed class HogFootageTests
{
    private const string Footage = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
    private const int Width = 640;
    private const int Height = 480;

    [Fact]
    public void Detector_PeopleWalking_FoundInMostFrames_UprightBoxesInsideTheFrame()
    {
        var frames = Decode(every: 2.0, count: 6);
        using var hog = HogPeopleDetector.Open(personClass: 0);
        var found = new List<DetectedObject>();
        var framesWithPeople = 0;

        foreach (var frame in frames)
        {
            found.Clear();
            hog.Detect(frame, Width, Height, 3 * Width, found);
            framesWithPeople += found.Count > 0 ? 1 : 0;
            Assert.All(found, o =>
            {
                Assert.Equal(0, o.ClassId);
                Assert.InRange(o.Score, 0.0001f, 1f);
                Assert.True(o.Box.Height > o.Box.Width, $"a person stands: {o.Box}");
                Assert.InRange(o.Box.X1, -16, Width);
                Assert.InRange(o.Box.Y2, 0, Height + 16);
            });
            Assert.True(found.Zip(found.Skip(1)).All(p => p.First.Score >= p.Second.Score), "best first");
        }

        Assert.True(framesWithPeople >= 4, $"people found in {framesWithPeople} of {frames.Count} frames of the street");
    }

    [Fact]
    public async Task Plugin_OpencvHogOnTheFootage_PersonEventsWithLabelAndBoxedSnapshot()
    {
        var plugin = new DetectionPlugin();
        var context = new FakePluginContext(new DetectionSettings { Backend = "opencv-hog", MinScore = 0.1, MinFrames = 2, LostSeconds = 5 }, Width, Height);
        await plugin.StartAsync(context, CancellationToken.None);

        var frames = Decode(every: 0.5, count: 8);
        for (var i = 0; i < frames.Count; i++)
        {
            await plugin.OnColorFrameAsync(new ColorFrame(frames[i], Width, Height, 3 * Width, i, TestFrames.Start.AddSeconds(i * 0.5)), CancellationToken.None);
        }

        await plugin.DisposeAsync();
        var person = Assert.IsType<DetectionPayload>(context.Events.First().Payload);
        Assert.Equal("person", person.Label);
        Assert.Contains("person", context.Events.First().Labels);
        Assert.All(context.Events, e => Assert.Equal("detection", e.Kind));
        Assert.Contains(context.Files, f => f.ContentType == "image/png");
    }

    [Fact]
    public async Task Plugin_OpencvHogWithoutPersonAmongTheClassNames_RefusedNamingTheSetting()
    {
        var context = new FakePluginContext(new DetectionSettings { Backend = "opencv-hog", ClassNames = ["car"], Labels = ["car"] });

        var refused = await Assert.ThrowsAsync<PluginSettingsException>(() => new DetectionPlugin().StartAsync(context, CancellationToken.None).AsTask());

        Assert.Equal("detection setting ClassNames must include person: opencv-hog finds people only.", refused.Message);
    }

    /// <summary>Frames of the footage, RGB24 at 640x480, <paramref name="every"/> seconds apart from its fifth second.</summary>
    private static List<byte[]> Decode(double every, int count)
    {
        Assert.True(File.Exists(Footage), $"{Footage} is missing: apt install opencv-doc (scripts/test.sh does)");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-nostdin", "-v", "error", "-ss", "5", "-i", Footage, "-vf", $"fps=1/{every.ToString(System.Globalization.CultureInfo.InvariantCulture)},scale={Width}:{Height}", "-frames:v", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "-pix_fmt", "rgb24", "-f", "rawvideo", "-" })
        {
            start.ArgumentList.Add(arg);
        }

        using var ffmpeg = Process.Start(start)!;
        using var output = new MemoryStream();
        var errors = ffmpeg.StandardError.ReadToEndAsync();
        ffmpeg.StandardOutput.BaseStream.CopyTo(output);
        ffmpeg.WaitForExit();
        Assert.True(ffmpeg.ExitCode == 0, "ffmpeg: " + errors.Result);
        var bytes = output.ToArray();
        var size = Width * Height * 3;
        return Enumerable.Range(0, bytes.Length / size).Select(i => bytes.AsSpan(i * size, size).ToArray()).ToList();
    }
}
