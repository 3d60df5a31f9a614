namespace CctvEdge.Plugins.Motion;

/// <summary>What one frame showed.</summary>
/// <param name="ChangedPercent">Share of pixels that differ from the background, in percent.</param>
/// <param name="Box">Bounding box of the changed pixels in pixels (X, Y, Width, Height), or null when none changed.</param>
/// <param name="GlobalChange">True when so much changed at once that the background was re-seeded.</param>
internal readonly record struct FrameMotion(double ChangedPercent, (int X, int Y, int Width, int Height)? Box, bool GlobalChange);

/// <summary>
/// Running-average background subtraction on 8-bit gray frames. The background is kept in 8.8 fixed point so the
/// update is integer arithmetic; alpha is quantised to 1/256.
/// </summary>
internal sealed class MotionDetector
{
    private readonly int _width;
    private readonly int _height;
    private readonly ushort[] _background;
    private int _threshold;
    private int _alpha256;
    private double _globalPercent;
    private bool _seeded;

    public MotionDetector(int width, int height, MotionSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        _width = width;
        _height = height;
        _background = new ushort[width * height];
        Configure(settings);
    }

    public int Width => _width;

    public int Height => _height;

    public void Configure(MotionSettings settings)
    {
        _threshold = settings.Threshold;
        _alpha256 = Math.Clamp((int)Math.Round(settings.Alpha * 256), 1, 256);
        _globalPercent = settings.GlobalChangePercent;
    }

    public FrameMotion Process(ReadOnlySpan<byte> pixels, int stride)
    {
        if (stride < _width || pixels.Length < (stride * (_height - 1)) + _width)
        {
            throw new ArgumentException($"Frame is {pixels.Length} bytes with stride {stride}; the detector needs {_width}x{_height}.", nameof(pixels));
        }

        if (!_seeded)
        {
            Seed(pixels, stride);
            return new FrameMotion(0, null, false);
        }

        int changed = 0, minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        var threshold256 = _threshold << 8;
        for (var y = 0; y < _height; y++)
        {
            var row = pixels.Slice(y * stride, _width);
            var bg = _background.AsSpan(y * _width, _width);
            for (var x = 0; x < _width; x++)
            {
                var p = row[x] << 8;
                var b = bg[x];
                var diff = p - b;
                if (Math.Abs(diff) > threshold256)
                {
                    changed++;
                    minX = Math.Min(minX, x);
                    maxX = Math.Max(maxX, x);
                    minY = Math.Min(minY, y);
                    maxY = Math.Max(maxY, y);
                }

                bg[x] = (ushort)(b + ((diff * _alpha256) >> 8));
            }
        }

        var percent = changed * 100.0 / (_width * _height);
        if (percent >= _globalPercent)
        {
            // Lights, the IR switch or an exposure jump: the old background is useless, start again from this frame.
            Seed(pixels, stride);
            return new FrameMotion(percent, null, true);
        }

        var box = changed == 0 ? ((int, int, int, int)?)null : (minX, minY, maxX - minX + 1, maxY - minY + 1);
        return new FrameMotion(percent, box, false);
    }

    private void Seed(ReadOnlySpan<byte> pixels, int stride)
    {
        for (var y = 0; y < _height; y++)
        {
            var row = pixels.Slice(y * stride, _width);
            var bg = _background.AsSpan(y * _width, _width);
            for (var x = 0; x < _width; x++)
            {
                bg[x] = (ushort)(row[x] << 8);
            }
        }

        _seeded = true;
    }
}
