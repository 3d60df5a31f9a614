namespace CctvEdge.Plugins.Detection.Internal.Model;

/// <summary>
/// Fits a frame into the model's square-ish input without distorting it, as YOLO was trained: scaled by one factor
/// to fit, centred, the rest padded grey (114, Ultralytics' colour). Writes the planar float tensor [1, 3, H, W]
/// (RGB, 0..1) and maps the model's boxes back to frame pixels. Scaling is by nearest pixel: the node already
/// delivers frames at the size asked for, so at the usual settings (a 640-wide frame for a 640 model) it is a copy.
/// </summary>
internal sealed class Letterbox
{
    private const float Pad = 114f / 255f;
    private readonly int[] _sourceColumns;
    private readonly int[] _sourceRows;

    public Letterbox(int frameWidth, int frameHeight, int inputWidth, int inputHeight)
    {
        (FrameWidth, FrameHeight, InputWidth, InputHeight) = (frameWidth, frameHeight, inputWidth, inputHeight);
        Scale = Math.Min((float)inputWidth / frameWidth, (float)inputHeight / frameHeight);
        ScaledWidth = Math.Min(inputWidth, (int)MathF.Round(frameWidth * Scale));
        ScaledHeight = Math.Min(inputHeight, (int)MathF.Round(frameHeight * Scale));
        PadX = (inputWidth - ScaledWidth) / 2;
        PadY = (inputHeight - ScaledHeight) / 2;
        _sourceColumns = new int[ScaledWidth];
        for (var x = 0; x < ScaledWidth; x++)
        {
            _sourceColumns[x] = 3 * Math.Min(frameWidth - 1, (int)((x + 0.5f) / Scale));
        }

        _sourceRows = new int[ScaledHeight];
        for (var y = 0; y < ScaledHeight; y++)
        {
            _sourceRows[y] = Math.Min(frameHeight - 1, (int)((y + 0.5f) / Scale));
        }
    }

    public int FrameWidth { get; }

    public int FrameHeight { get; }

    public int InputWidth { get; }

    public int InputHeight { get; }

    public float Scale { get; }

    public int ScaledWidth { get; }

    public int ScaledHeight { get; }

    public int PadX { get; }

    public int PadY { get; }

    /// <summary>Fills <paramref name="tensor"/> (3 × InputHeight × InputWidth floats) from RGB24 rows.</summary>
    public void Fill(ReadOnlySpan<byte> rgb, int stride, Span<float> tensor)
    {
        var plane = InputWidth * InputHeight;
        if (tensor.Length < 3 * plane || rgb.Length < ((FrameHeight - 1) * stride) + (3 * FrameWidth))
        {
            throw new ArgumentException("Frame or tensor smaller than the letterbox expects.");
        }

        var red = tensor[..plane];
        var green = tensor.Slice(plane, plane);
        var blue = tensor.Slice(2 * plane, plane);
        FillPadding(red);
        FillPadding(green);
        FillPadding(blue);
        const float toUnit = 1f / 255f;
        for (var y = 0; y < ScaledHeight; y++)
        {
            var row = rgb.Slice(_sourceRows[y] * stride);
            var at = ((y + PadY) * InputWidth) + PadX;
            for (var x = 0; x < _sourceColumns.Length; x++)
            {
                var s = _sourceColumns[x];
                red[at + x] = row[s] * toUnit;
                green[at + x] = row[s + 1] * toUnit;
                blue[at + x] = row[s + 2] * toUnit;
            }
        }
    }

    /// <summary>Only the bands around the picture: the picture's pixels are all written anyway.</summary>
    private void FillPadding(Span<float> plane)
    {
        plane[..(PadY * InputWidth)].Fill(Pad);
        plane[((PadY + ScaledHeight) * InputWidth)..].Fill(Pad);
        if (ScaledWidth < InputWidth)
        {
            for (var y = PadY; y < PadY + ScaledHeight; y++)
            {
                var row = plane.Slice(y * InputWidth, InputWidth);
                row[..PadX].Fill(Pad);
                row[(PadX + ScaledWidth)..].Fill(Pad);
            }
        }
    }

    /// <summary>A box in model input pixels as frame pixels, clipped to the frame.</summary>
    public Box ToFrame(Box box) => new(
        Math.Clamp((box.X1 - PadX) / Scale, 0, FrameWidth),
        Math.Clamp((box.Y1 - PadY) / Scale, 0, FrameHeight),
        Math.Clamp((box.X2 - PadX) / Scale, 0, FrameWidth),
        Math.Clamp((box.Y2 - PadY) / Scale, 0, FrameHeight));
}
