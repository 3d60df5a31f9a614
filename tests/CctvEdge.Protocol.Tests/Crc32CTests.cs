using System.Text;

namespace CctvEdge.Protocol.Tests;

public sealed class Crc32CTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    [InlineData("123456789", 0xE3069283u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x22620404u)]
    public void Compute_KnownVectors_MatchCastagnoli(string text, uint expected) =>
        Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Compute_RandomLengthsAndOffsets_AgreesWithBitwiseDefinition()
    {
        var random = new Random(7);
        var data = new byte[70_000];
        random.NextBytes(data);
        for (var i = 0; i < 200; i++)
        {
            var start = random.Next(0, 64);
            var length = random.Next(0, data.Length - start);
            var slice = data.AsSpan(start, length);
            Assert.Equal(Bitwise(slice), Crc32C.Compute(slice));
        }
    }

    [Fact]
    public void Compute_OneBitFlipped_Differs()
    {
        var data = new byte[128 * 1024];
        new Random(1).NextBytes(data);
        var before = Crc32C.Compute(data);

        data[4321] ^= 0x10;

        Assert.NotEqual(before, Crc32C.Compute(data));
    }

    /// <summary>The definition, one bit at a time (reflected polynomial 0x82F63B78): slow and obviously right.</summary>
    private static uint Bitwise(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
