using System.Text;
using System.Text.Json;
using CctvEdge.Server.Plugins.Sdk;
using CctvEdge.Server.Processors.Media;

namespace CctvEdge.Server.Tests;

/// <summary>The pieces of processor media: PPM frames as ffmpeg pipes them, and the labels processors keep on events.</summary>
public sealed class ProcessorMediaTests
{
    [Fact]
    public async Task PpmReader_TwoImagesThenEnd_EachWithItsSizeAndPixels()
    {
        using var stream = new MemoryStream([.. Ppm(2, 1, [1, 2, 3, 4, 5, 6]), .. Ppm(1, 2, [7, 8, 9, 10, 11, 12])]);

        var first = await PpmReader.ReadAsync(stream, CancellationToken.None);
        var second = await PpmReader.ReadAsync(stream, CancellationToken.None);
        var end = await PpmReader.ReadAsync(stream, CancellationToken.None);

        Assert.Equal((2, 1), (first!.Value.Width, first.Value.Height));
        Assert.Equal([1, 2, 3, 4, 5, 6], first.Value.Pixels);
        Assert.Equal((1, 2), (second!.Value.Width, second.Value.Height));
        Assert.Equal([7, 8, 9, 10, 11, 12], second.Value.Pixels);
        Assert.Null(end);
    }

    [Theory]
    [InlineData("P5\n2 1\n255\n", "not a binary PPM")]
    [InlineData("P6\n2 x\n255\n", "is not a number")]
    [InlineData("P6\n100000 100000\n255\n", "is not an 8-bit picture")]
    [InlineData("P6\n2 1\n65535\n", "is not an 8-bit picture")]
    [InlineData("P6\n2 1", "cut short")]
    public async Task PpmReader_BrokenHeader_ClearErrorNotAPicture(string header, string expected)
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(header));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => PpmReader.ReadAsync(stream, CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PpmReader_PixelsCutShort_Throws()
    {
        using var stream = new MemoryStream([.. Ppm(2, 2, [1, 2, 3])]);

        await Assert.ThrowsAsync<EndOfStreamException>(() => PpmReader.ReadAsync(stream, CancellationToken.None));
    }

    [Fact]
    public void EventAnalysis_EachProcessorReplacesOnlyItsOwnLabels()
    {
        var detection = EventAnalysis.WithLabels("", "detection", [new EventLabel("person", 0.8, [0.1, 0.2, 0.3, 0.4])]);
        var both = EventAnalysis.WithLabels(detection, "plates", [new EventLabel("plate", 0.6, [])]);
        var replaced = EventAnalysis.WithLabels(both, "detection", [new EventLabel("car", 0.7, [0, 0, 1, 1])]);
        var cleared = EventAnalysis.WithLabels(EventAnalysis.WithLabels(replaced, "plates", []), "detection", []);

        Assert.Equal([("person", "detection")], Labels(detection));
        Assert.Equal([("person", "detection"), ("plate", "plates")], Labels(both));
        Assert.Equal([("plate", "plates"), ("car", "detection")], Labels(replaced));
        Assert.Equal(0.7, JsonDocument.Parse(replaced).RootElement.GetProperty("labels")[1].GetProperty("score").GetDouble());
        Assert.Equal("", cleared);
        Assert.Equal([("car", "detection")], Labels(EventAnalysis.WithLabels("{not json", "detection", [new EventLabel("car", 0.7, [])])));
    }

    private static List<(string, string)> Labels(string analysis) =>
        [.. JsonDocument.Parse(analysis).RootElement.GetProperty("labels").EnumerateArray().Select(l => (l.GetProperty("label").GetString()!, l.GetProperty("source").GetString()!))];

    private static byte[] Ppm(int width, int height, byte[] pixels) => [.. Encoding.ASCII.GetBytes($"P6\n{width} {height}\n255\n"), .. pixels];
}
