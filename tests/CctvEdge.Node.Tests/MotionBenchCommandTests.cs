using CctvEdge.Harness;
using CctvEdge.Node.Bench;
using CctvEdge.Testing;

namespace CctvEdge.Node.Tests;

public sealed class MotionBenchCommandTests
{
    private const int Width = 160;
    private const int Height = 90;

    [Fact]
    public async Task RunAsync_FootageWithOneCrossing_PrintsTimingMotionFramesAndTheEvent()
    {
        using var temp = new TempDirectory();
        var input = temp.Combine("clip.gray");
        // 40 frames (8 s at 5 fps); a bright square crosses during frames 10 to 19.
        await File.WriteAllBytesAsync(input, [.. Enumerable.Range(0, 40).SelectMany(i => Frame(i is >= 10 and < 20 ? 10 + (i * 4) : null))]);
        var output = new StringWriter();

        var exit = await RunAsync(output, "--input", input, "--width", $"{Width}", "--height", $"{Height}", "--warmup", "0", "--flags", temp.Combine("flags"));

        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.Contains("40 frames of 160x90", text, StringComparison.Ordinal);
        Assert.Matches(@"ms/frame: mean \d+\.\d{4} p95 \d+\.\d{4}", text);
        Assert.Contains("frames with motion: 10 of 40", text, StringComparison.Ordinal);
        Assert.Contains("events: 1", text, StringComparison.Ordinal);
        Assert.Contains("  2.0-3.8 s", text, StringComparison.Ordinal);
        var flags = await File.ReadAllLinesAsync(temp.Combine("flags"));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => i is >= 10 and < 20 ? "1" : "0"), flags);
    }

    [Fact]
    public async Task RunAsync_NodeConfigWithZones_UsesFirstCameraMotionBlock()
    {
        using var temp = new TempDirectory();
        var input = temp.Combine("clip.gray");
        await File.WriteAllBytesAsync(input, [.. Enumerable.Range(0, 20).SelectMany(i => Frame(i >= 10 ? 100 : null))]);
        var config = temp.Combine("node.json");
        await File.WriteAllTextAsync(config, """
            { "Cameras": [ { "Id": "yard", "Plugins": { "motion": { "Enabled": true, "Zones": [ { "Name": "trough", "Points": [[0.5, 0], [1, 0], [1, 1], [0.5, 1]] } ] } } } ] }
            """);
        var output = new StringWriter();

        var exit = await RunAsync(output, "--input", input, "--width", $"{Width}", "--height", $"{Height}", "--warmup", "0", "--config", config);

        Assert.Equal(0, exit);
        Assert.Contains("zones trough", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--width", "161", "not a whole number of 161x90 gray frames")]
    [InlineData("--fps", "fast", "--fps must be a number")]
    [InlineData("--config", "bad-settings", "motion setting Threshold must be between 1 and 254 (was 0)")]
    public async Task RunAsync_BadInput_ExitsWithTwoAndSaysWhy(string option, string value, string expected)
    {
        using var temp = new TempDirectory();
        var input = temp.Combine("clip.gray");
        await File.WriteAllBytesAsync(input, Frame(null));
        await File.WriteAllTextAsync(temp.Combine("bad-settings"), """{ "Threshold": 0 }""");
        string[] args = ["--input", input, "--width", $"{Width}", "--height", $"{Height}", "--warmup", "0", "--plugins", RepositoryPaths.NodePluginsDirectory];
        var errors = new StringWriter();

        var exit = await MotionBenchCommand.RunAsync([.. args, option, option == "--config" ? temp.Combine(value) : value], TextWriter.Null, errors).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit);
        Assert.Contains(expected, errors.ToString(), StringComparison.Ordinal);
    }

    private static Task<int> RunAsync(TextWriter output, params string[] args) =>
        MotionBenchCommand.RunAsync([.. args, "--plugins", RepositoryPaths.NodePluginsDirectory], output, TextWriter.Null).WaitAsync(TimeSpan.FromSeconds(60));

    private static byte[] Frame(int? squareX)
    {
        var frame = new byte[Width * Height];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                frame[(y * Width) + x] = (byte)(60 + (x / 2));
            }
        }

        for (var y = 30; squareX is { } left && y < 50; y++)
        {
            frame.AsSpan((y * Width) + left, 20).Fill(250);
        }

        return frame;
    }
}
