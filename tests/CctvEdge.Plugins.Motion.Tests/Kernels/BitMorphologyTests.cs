using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Tests.Kernels;

public sealed class BitMorphologyTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(0, 1)]
    [InlineData(2, 3)]
    public void OpenThenClose_RandomImages_MatchesPixelByPixelReference(int open, int close)
    {
        var random = new Random((open * 10) + close);
        foreach (var width in new[] { 5, 63, 64, 65, 130 })
        {
            var layout = new BitLayout(width, random.Next(3, 20));
            var grid = BitImages.Random(random, width, layout.Height, 0.45);
            var bits = BitImages.ToBits(grid, layout);

            BitMorphology.Open(bits, new ulong[layout.Words], layout, open);
            BitMorphology.Close(bits, new ulong[layout.Words], layout, close);

            var expected = Close(Open(grid, open), close);
            Assert.Equal(expected, BitImages.ToGrid(bits, layout));
            Assert.Equal(bits, BitImages.ToBits(BitImages.ToGrid(bits, layout), layout));
        }
    }

    [Fact]
    public void Open_IsolatedSpeckAndThinLine_Removed()
    {
        var layout = new BitLayout(40, 20);
        var grid = new bool[20, 40];
        grid[3, 3] = true;
        for (var x = 10; x < 30; x++)
        {
            grid[10, x] = true;
        }

        var bits = BitImages.ToBits(grid, layout);
        BitMorphology.Open(bits, new ulong[layout.Words], layout, 1);

        Assert.All(bits, word => Assert.Equal(0UL, word));
    }

    [Fact]
    public void Open_BlockAtFrameCorner_Kept()
    {
        // Outside the frame counts as set when eroding, so an object at the edge does not shrink away.
        var layout = new BitLayout(64, 10);
        var grid = new bool[10, 64];
        for (var y = 0; y < 3; y++)
        {
            for (var x = 61; x < 64; x++)
            {
                grid[y, x] = true;
            }
        }

        var bits = BitImages.ToBits(grid, layout);
        BitMorphology.Open(bits, new ulong[layout.Words], layout, 1);

        Assert.Equal(grid, BitImages.ToGrid(bits, layout));
    }

    private static bool[,] Open(bool[,] grid, int n) => Repeat(Repeat(grid, n, erode: true), n, erode: false);

    private static bool[,] Close(bool[,] grid, int n) => Repeat(Repeat(grid, n, erode: false), n, erode: true);

    private static bool[,] Repeat(bool[,] grid, int n, bool erode)
    {
        for (var i = 0; i < n; i++)
        {
            grid = Step(grid, erode);
        }

        return grid;
    }

    private static bool[,] Step(bool[,] grid, bool erode)
    {
        int height = grid.GetLength(0), width = grid.GetLength(1);
        var result = new bool[height, width];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var value = erode;
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        int ny = y + dy, nx = x + dx;
                        // Outside the frame: neutral for the operation (set for erode, clear for dilate).
                        var neighbour = ny < 0 || ny >= height || nx < 0 || nx >= width ? erode : grid[ny, nx];
                        value = erode ? value && neighbour : value || neighbour;
                    }
                }

                result[y, x] = value;
            }
        }

        return result;
    }
}
