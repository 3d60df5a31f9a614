using CctvEdge.Plugins.Motion.Internal.Detection;
using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Tests.Kernels;

public sealed class ComponentLabelerTests
{
    [Fact]
    public void Label_RandomImages_MatchesFloodFillReference()
    {
        var random = new Random(5);
        foreach (var (width, density) in new[] { (7, 0.5), (64, 0.3), (65, 0.55), (150, 0.45), (200, 0.05) })
        {
            var layout = new BitLayout(width, random.Next(1, 40));
            var grid = BitImages.Random(random, width, layout.Height, density);
            var labeler = new ComponentLabeler(layout);
            labeler.Reserve(1);

            var moving = labeler.Label(BitImages.ToBits(grid, layout), 3, 200, []);

            var expected = FloodFill(grid).Where(b => b.Area is >= 3 and <= 200).OrderByDescending(b => b.Area).ThenBy(b => (b.Y, b.X)).ToArray();
            Assert.Equal(expected, labeler.Blobs.ToArray().OrderByDescending(b => b.Area).ThenBy(b => (b.Y, b.X)).ToArray());
            Assert.Equal(expected.Sum(b => b.Area), moving);
        }
    }

    [Fact]
    public void Label_MoreRunsThanTheTableStartsWith_GrowsAndMatchesFloodFillReference()
    {
        // Every other pixel set on every other row: the most runs a frame can have, far more than the table starts with.
        var layout = new BitLayout(320, 180);
        var grid = new bool[layout.Height, layout.Width];
        for (var y = 0; y < layout.Height; y += 2)
        {
            for (var x = 0; x < layout.Width; x += 2)
            {
                grid[y, x] = true;
            }
        }

        for (var x = 0; x < layout.Width; x++)
        {
            grid[101, x] = true;
        }

        var labeler = new ComponentLabeler(layout);
        labeler.Reserve(1);
        Assert.Equal(ComponentLabeler.InitialRuns, labeler.RunCapacity);

        var moving = labeler.Label(BitImages.ToBits(grid, layout), 1, layout.Pixels, []);

        var expected = FloodFill(grid).OrderByDescending(b => b.Area).ThenBy(b => (b.Y, b.X)).ToArray();
        Assert.Equal(expected, labeler.Blobs.ToArray().OrderByDescending(b => b.Area).ThenBy(b => (b.Y, b.X)).ToArray());
        Assert.Equal(expected.Sum(b => b.Area), moving);
        Assert.True(labeler.RunCapacity > ComponentLabeler.InitialRuns);
        Assert.True(labeler.RunCapacity <= layout.Height * ((layout.Width + 1) / 2));
    }

    [Fact]
    public void Label_AfterGrowing_AllocatesNothingForFramesThatFit()
    {
        var layout = new BitLayout(320, 180);
        var busy = new bool[layout.Height, layout.Width];
        for (var y = 0; y < layout.Height; y++)
        {
            for (var x = y % 2; x < layout.Width; x += 4)
            {
                busy[y, x] = true;
            }
        }

        var bits = BitImages.ToBits(busy, layout);
        var labeler = new ComponentLabeler(layout);
        labeler.Reserve(1);
        labeler.Label(bits, 1, layout.Pixels, []);

        var allocated = Allocations.OnThisThread(() =>
        {
            for (var i = 0; i < 10; i++)
            {
                labeler.Label(bits, 1, layout.Pixels, []);
            }
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Label_DiagonalNeighbours_OneComponent()
    {
        var layout = new BitLayout(8, 4);
        var grid = new bool[4, 8];
        grid[0, 0] = grid[1, 1] = grid[2, 2] = grid[3, 3] = true;
        var labeler = new ComponentLabeler(layout);

        labeler.Label(BitImages.ToBits(grid, layout), 1, 100, []);

        Assert.Equal(new MotionBlob(0, 0, 4, 4, 4, 0), Assert.Single(labeler.Blobs.ToArray()));
    }

    [Fact]
    public void Label_RunAcrossWordBoundaryTouchingZone_ReportsZoneBit()
    {
        var layout = new BitLayout(130, 2);
        var grid = new bool[2, 130];
        for (var x = 60; x < 70; x++)
        {
            grid[1, x] = true;
        }

        var zone = new bool[2, 130];
        zone[1, 69] = true;
        var labeler = new ComponentLabeler(layout);

        labeler.Label(BitImages.ToBits(grid, layout), 1, 100, new[] { new ulong[layout.Words], BitImages.ToBits(zone, layout) });

        Assert.Equal(new MotionBlob(60, 1, 10, 1, 10, 0b10), Assert.Single(labeler.Blobs.ToArray()));
    }

    private static List<MotionBlob> FloodFill(bool[,] grid)
    {
        int height = grid.GetLength(0), width = grid.GetLength(1);
        var seen = new bool[height, width];
        var blobs = new List<MotionBlob>();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (!grid[y, x] || seen[y, x])
                {
                    continue;
                }

                int minX = x, maxX = x, minY = y, maxY = y, area = 0;
                var stack = new Stack<(int Y, int X)>([(y, x)]);
                seen[y, x] = true;
                while (stack.TryPop(out var p))
                {
                    area++;
                    (minX, maxX, minY, maxY) = (Math.Min(minX, p.X), Math.Max(maxX, p.X), Math.Min(minY, p.Y), Math.Max(maxY, p.Y));
                    for (var dy = -1; dy <= 1; dy++)
                    {
                        for (var dx = -1; dx <= 1; dx++)
                        {
                            int ny = p.Y + dy, nx = p.X + dx;
                            if (ny >= 0 && ny < height && nx >= 0 && nx < width && grid[ny, nx] && !seen[ny, nx])
                            {
                                seen[ny, nx] = true;
                                stack.Push((ny, nx));
                            }
                        }
                    }
                }

                blobs.Add(new MotionBlob(minX, minY, maxX - minX + 1, maxY - minY + 1, area, 0));
            }
        }

        return blobs;
    }
}
