namespace CctvEdge.Plugins.Motion.Tests.Accuracy;

/// <summary>An object of known size moving in a straight line at known times: the ground truth.</summary>
internal sealed record MovingObject(string Name, int Width, int Height, byte Gray, double From, double To, (double X, double Y) Start, (double X, double Y) End)
{
    /// <summary>The object's box at time t (pixels), or null when it is not in the picture.</summary>
    public (int X, int Y, int Width, int Height)? BoxAt(double t)
    {
        if (t < From || t >= To)
        {
            return null;
        }

        var f = (t - From) / (To - From);
        return ((int)Math.Round(Start.X + ((End.X - Start.X) * f)), (int)Math.Round(Start.Y + ((End.Y - Start.Y) * f)), Width, Height);
    }
}

/// <summary>
/// Synthetic labelled footage (320x180 gray at 5 fps), generated in memory and reproducible: a textured yard with
/// fence posts, sensor noise throughout, and scripted disturbances (rain, camera shake, lights switched on and off,
/// the IR switch at dusk with noisier night frames, a bush swaying in the wind) around objects whose boxes are known.
/// </summary>
internal sealed class LabelledFootage
{
    public const int Width = 320;
    public const int Height = 180;
    public const double Fps = 5;

    private const int NoiseLength = (1 << 20) + 7;
    private readonly byte[] _scene;
    private readonly byte[] _bush;
    private readonly sbyte[] _noise;

    public LabelledFootage(double seconds, IReadOnlyList<MovingObject> objects, IReadOnlyList<Disturbance> disturbances, int seed = 1)
    {
        Seconds = seconds;
        Objects = objects;
        Disturbances = disturbances;
        var random = new Random(seed);
        _scene = new byte[(Width + 2) * (Height + 2)];
        for (var y = 0; y < Height + 2; y++)
        {
            for (var x = 0; x < Width + 2; x++)
            {
                // Large smooth shapes plus fence posts every 40 pixels: edges for a camera shake to light up.
                var value = 120 + (25 * Math.Sin(x / 23.0)) + (20 * Math.Cos(y / 17.0)) + (10 * Math.Sin((x + y) / 7.0));
                _scene[(y * (Width + 2)) + x] = (byte)(x % 40 < 3 ? value + 45 : value);
            }
        }

        _bush = new byte[64 * 48];
        for (var i = 0; i < _bush.Length; i++)
        {
            _bush[i] = (byte)((i % 64 / 4 % 2 == 0) ^ (i / 64 / 6 % 2 == 0) ? 70 : 170);
        }

        _noise = new sbyte[NoiseLength];
        for (var i = 0; i < NoiseLength; i++)
        {
            // Roughly Gaussian with a standard deviation of one unit (scaled per frame below).
            _noise[i] = (sbyte)Math.Clamp(Math.Round((random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2 * 10), -60, 60);
        }
    }

    public double Seconds { get; }

    public int FrameCount => (int)(Seconds * Fps);

    public IReadOnlyList<MovingObject> Objects { get; }

    public IReadOnlyList<Disturbance> Disturbances { get; }

    public static double TimeOf(int frame) => frame / Fps;

    public byte[] Frame(int index)
    {
        var t = TimeOf(index);
        var frame = new byte[Width * Height];
        var (dx, dy) = Active(DisturbanceKind.Shake, t) ? ((index % 3) - 1, (index / 3 % 3) - 1) : (0, 0);
        for (var y = 0; y < Height; y++)
        {
            _scene.AsSpan(((y + 1 + dy) * (Width + 2)) + 1 + dx, Width).CopyTo(frame.AsSpan(y * Width));
        }

        if (Active(DisturbanceKind.SwayingBush, t))
        {
            var sway = (int)Math.Round(4 * Math.Sin(2 * Math.PI * t / 1.6));
            for (var y = 0; y < 24; y++)
            {
                for (var x = 4; x < 36; x++)
                {
                    frame[((30 + y) * Width) + 260 + x] = _bush[(y * 64) + x + sway];
                }
            }
        }

        foreach (var o in Objects)
        {
            if (o.BoxAt(t) is { } box)
            {
                Fill(frame, box, o.Gray);
            }
        }

        if (Active(DisturbanceKind.Rain, t))
        {
            var rain = new Random(index);
            for (var drop = 0; drop < 60; drop++)
            {
                int x = rain.Next(Width), y = rain.Next(Height - 8);
                for (var k = 0; k < 7; k++)
                {
                    frame[((y + k) * Width) + x] = (byte)Math.Min(255, frame[((y + k) * Width) + x] + 40);
                }
            }
        }

        var lights = Active(DisturbanceKind.LightsOn, t) ? 60 : 0;
        var night = Active(DisturbanceKind.InfraredNight, t);
        var noiseScale = night ? 0.7 : 0.4;
        var offset = (int)((index * 7919L) % NoiseLength);
        for (var i = 0; i < frame.Length; i++)
        {
            // The IR switch flattens and brightens the picture and the sensor gets noisier.
            var value = night ? (frame[i] * 0.5) + 90 : frame[i] + lights;
            frame[i] = (byte)Math.Clamp(value + (_noise[(offset + i) % NoiseLength] * noiseScale), 0, 255);
        }

        return frame;
    }

    public bool Active(DisturbanceKind kind, double t) => Disturbances.Any(d => d.Kind == kind && t >= d.From && t < d.To);

    private static void Fill(byte[] frame, (int X, int Y, int Width, int Height) box, byte gray)
    {
        for (var y = Math.Max(0, box.Y); y < Math.Min(Height, box.Y + box.Height); y++)
        {
            for (var x = Math.Max(0, box.X); x < Math.Min(Width, box.X + box.Width); x++)
            {
                // A little texture, as fur or clothes have.
                frame[(y * Width) + x] = (byte)(gray + ((x + y) % 3 * 6));
            }
        }
    }
}

internal enum DisturbanceKind
{
    Rain,
    Shake,
    LightsOn,
    InfraredNight,
    SwayingBush,
}

internal sealed record Disturbance(DisturbanceKind Kind, double From, double To);
