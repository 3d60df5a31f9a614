using CctvEdge.Grpc.Internal;

namespace CctvEdge.Grpc.Tests;

public sealed class ProtocolTextTests
{
    [Theory]
    [InlineData(0.5, "500000n")]
    [InlineData(1000, "1000000u")]
    [InlineData(3 * 3600 * 1000, "10800000m")]
    [InlineData(200.0 * 24 * 3600 * 1000, "17280000S")]
    public void Encode_Timeout_UsesFinestUnitWithinEightDigits(double milliseconds, string expected) =>
        Assert.Equal(expected, GrpcTimeout.Encode(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData("1H", 3600_000)]
    [InlineData("2M", 120_000)]
    [InlineData("3S", 3000)]
    [InlineData("250m", 250)]
    [InlineData("1000u", 1)]
    [InlineData("1000000n", 1)]
    public void TryParse_ValidTimeout_ReturnsDuration(string header, double expectedMs)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(expectedMs, timeout.TotalMilliseconds, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("123456789S")]
    [InlineData("10x")]
    [InlineData("-1S")]
    public void TryParse_InvalidTimeout_False(string header) => Assert.False(GrpcTimeout.TryParse(header, out _));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("100%", "100%25")]
    [InlineData("é", "%C3%A9")]
    [InlineData("a\nb", "a%0Ab")]
    public void Encode_Message_PercentEncodesOutsidePrintableAscii(string text, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Encode(text));
        Assert.Equal(text, PercentEncoding.Decode(expected));
    }

    [Fact]
    public void Decode_MalformedEscape_KeptAsText() => Assert.Equal("50%zz", PercentEncoding.Decode("50%zz"));

    [Fact]
    public void MetadataEntry_BinaryKeyWithText_Throws() => Assert.Throws<ArgumentException>(() => new Metadata.Entry("x-bin", "text"));

    [Fact]
    public void MetadataEntry_KeyWithSpace_Throws() => Assert.Throws<ArgumentException>(() => new Metadata.Entry("bad key", "v"));

    [Fact]
    public void MetadataEntry_MixedCaseKey_IsLowerCased() => Assert.Equal("x-farm", new Metadata.Entry("X-Farm", "v").Key);
}
