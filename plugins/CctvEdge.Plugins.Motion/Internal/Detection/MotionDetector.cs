using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Internal.Detection;

/// <summary>What a frame taught the detector.</summary>
internal enum FrameKind
{
    /// <summary>Compared with the background; the numbers mean something.</summary>
    Compared,

    /// <summary>Only learnt from: the first frame, or a frame while the picture settles after a global change.</summary>
    Learning,

    /// <summary>So much changed at once (lights, IR switch) that the background was re-seeded.</summary>
    GlobalChange,
}

/// <summary>What one frame showed.</summary>
/// <param name="Kind">Whether the frame was compared at all.</param>
/// <param name="ChangedPercent">Share of the watched pixels that differ from the background, before morphology.</param>
/// <param name="MovingPixels">Pixels in the regions that passed the area limits.</param>
/// <param name="MagnitudePercent">Those pixels in percent of the frame: the motion magnitude.</param>
/// <param name="Zones">Bit i set when a counted region touched zone i.</param>
internal readonly record struct FrameMotion(FrameKind Kind, double ChangedPercent, int MovingPixels, double MagnitudePercent, ulong Zones);

/// <summary>
/// The per-frame pipeline on one camera's gray frames: halve <see cref="MotionSettings.Downscale"/> times, blur,
/// compare with the background and update it, mask, check for a global change, open and close, label the regions.
/// Every buffer is allocated here for the frame size, so processing a frame allocates nothing.
/// </summary>
internal sealed class MotionDetector
{
    private readonly KernelPath _path;
    private readonly double _framesPerSecond;
    private readonly byte[][] _halves;
    private readonly byte[] _prepared;
    private readonly ushort[] _rowBuffer;
    private readonly ushort[] _background;
    private readonly ushort[] _ages;
    private readonly ulong[] _changed;
    private readonly ulong[] _scratch;
    private readonly ComponentLabeler _labeler;
    private MotionRegions _regions;
    private BackgroundRates _rates;
    private int _blurSize, _open, _close, _minArea, _maxArea;
    private double _globalPercent;
    private bool _seeded;

    public MotionDetector(int frameWidth, int frameHeight, double framesPerSecond, MotionSettings settings, MotionRegions regions, KernelPath path)
    {
        FrameWidth = frameWidth;
        FrameHeight = frameHeight;
        Downscale = settings.Downscale;
        Layout = DetectionLayout(frameWidth, frameHeight, settings.Downscale);
        if (regions.Layout != Layout)
        {
            throw new ArgumentException($"Regions drawn for {regions.Layout.Width}x{regions.Layout.Height}, detection is {Layout.Width}x{Layout.Height}.", nameof(regions));
        }

        _path = path;
        _framesPerSecond = framesPerSecond;
        _halves = new byte[int.Log2(settings.Downscale)][];
        for (var i = 0; i < _halves.Length; i++)
        {
            _halves[i] = new byte[(frameWidth >> (i + 1)) * (frameHeight >> (i + 1))];
        }

        _prepared = new byte[Layout.Stride * Layout.Height];
        _rowBuffer = new ushort[BinomialBlur.RowBufferLength(Layout.Width)];
        _background = new ushort[_prepared.Length];
        _ages = new ushort[_prepared.Length];
        _changed = new ulong[Layout.Words];
        _scratch = new ulong[Layout.Words];
        _labeler = new ComponentLabeler(Layout);
        _regions = regions;
        Configure(settings, regions);
    }

    public int FrameWidth { get; }

    public int FrameHeight { get; }

    public int Downscale { get; }

    public BitLayout Layout { get; }

    /// <summary>The regions of the last compared frame that passed the area limits, largest first.</summary>
    public ReadOnlySpan<MotionBlob> Blobs => _labeler.Blobs;

    /// <summary>The size the detector works at for a frame size and downscale factor.</summary>
    public static BitLayout DetectionLayout(int frameWidth, int frameHeight, int downscale) => new(frameWidth / downscale, frameHeight / downscale);

    /// <summary>Takes new values (same frame size and downscale); the learned background is kept.</summary>
    public void Configure(MotionSettings settings, MotionRegions regions)
    {
        if (settings.Downscale != Downscale || regions.Layout != Layout)
        {
            throw new ArgumentException("A new size needs a new detector.", nameof(settings));
        }

        _regions = regions;
        var absorbFrames = (ushort)Math.Clamp(Math.Round(settings.AbsorbSeconds * _framesPerSecond), 1, ushort.MaxValue);
        _rates = new BackgroundRates((byte)settings.Threshold, BackgroundRates.Quantise(settings.Alpha), BackgroundRates.Quantise(settings.ForegroundAlpha), absorbFrames);
        _blurSize = settings.BlurSize;
        _open = settings.Open;
        _close = settings.Close;
        _minArea = Math.Max(1, (int)Math.Round(settings.MinAreaPercent * Layout.Pixels / 100));
        _maxArea = Math.Max(_minArea, (int)Math.Round(settings.MaxAreaPercent * Layout.Pixels / 100));
        _globalPercent = settings.GlobalChangePercent;
        _labeler.Reserve(_minArea);
    }

    /// <summary>
    /// Processes one frame (<see cref="FrameWidth"/> x <see cref="FrameHeight"/>, rows <paramref name="stride"/> bytes
    /// apart). With <paramref name="learnOnly"/> the frame becomes the background and nothing is compared.
    /// </summary>
    public FrameMotion Process(ReadOnlySpan<byte> pixels, int stride, bool learnOnly = false)
    {
        Prepare(pixels, stride);
        if (!_seeded || learnOnly)
        {
            Reseed();
            return new FrameMotion(FrameKind.Learning, 0, 0, 0, 0);
        }

        var changed = BackgroundKernel.Update(_path, _prepared, _background, _ages, _regions.Watched, _changed, _rates);
        var changedPercent = changed * 100.0 / _regions.WatchedPixels;
        if (changedPercent >= _globalPercent)
        {
            // Lights, the IR switch or an exposure jump: the old background is useless, start again from this frame.
            Reseed();
            return new FrameMotion(FrameKind.GlobalChange, changedPercent, 0, 0, 0);
        }

        var moving = 0;
        var zones = 0UL;
        if (changed > 0)
        {
            BitMorphology.Open(_changed, _scratch, Layout, _open);
            BitMorphology.Close(_changed, _scratch, Layout, _close);
            moving = _labeler.Label(_changed, _minArea, _maxArea, _regions.Zones);
            foreach (var blob in _labeler.Blobs)
            {
                zones |= blob.Zones;
            }
        }
        else
        {
            _labeler.Clear();
        }

        return new FrameMotion(FrameKind.Compared, changedPercent, moving, moving * 100.0 / Layout.Pixels, zones);
    }

    private void Prepare(ReadOnlySpan<byte> pixels, int stride)
    {
        int width = FrameWidth, height = FrameHeight;
        if (stride < width || pixels.Length < (stride * (height - 1)) + width)
        {
            throw new ArgumentException($"Frame is {pixels.Length} bytes with stride {stride}; the detector needs {width}x{height}.", nameof(pixels));
        }

        var source = pixels;
        foreach (var half in _halves)
        {
            Halving.Apply(_path, source, stride, width, height, half, width / 2);
            source = half;
            (stride, width, height) = (width / 2, width / 2, height / 2);
        }

        BinomialBlur.Apply(_path, _blurSize, source, stride, _prepared, Layout.Stride, Layout.Width, Layout.Height, _rowBuffer);
    }

    private void Reseed()
    {
        BackgroundKernel.Seed(_prepared, _background, _ages);
        _labeler.Clear();
        _seeded = true;
    }
}
