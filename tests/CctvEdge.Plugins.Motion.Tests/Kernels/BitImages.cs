using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Tests.Kernels;

/// <summary>Converts between bit images and plain bool grids, the form the naive references work on.</summary>
internal static class BitImages
{
    public static ulong[] ToBits(bool[,] grid, BitLayout layout)
    {
        var bits = new ulong[layout.Words];
        for (var y = 0; y < layout.Height; y++)
        {
            for (var x = 0; x < layout.Width; x++)
            {
                if (grid[y, x])
                {
                    bits[(y * layout.WordsPerRow) + (x >> 6)] |= 1UL << (x & 63);
                }
            }
        }

        return bits;
    }

    public static bool[,] ToGrid(ulong[] bits, BitLayout layout)
    {
        var grid = new bool[layout.Height, layout.Width];
        for (var y = 0; y < layout.Height; y++)
        {
            for (var x = 0; x < layout.Width; x++)
            {
                grid[y, x] = (bits[(y * layout.WordsPerRow) + (x >> 6)] & (1UL << (x & 63))) != 0;
            }
        }

        return grid;
    }

    public static bool[,] Random(Random random, int width, int height, double density)
    {
        var grid = new bool[height, width];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                grid[y, x] = random.NextDouble() < density;
            }
        }

        return grid;
    }
}
