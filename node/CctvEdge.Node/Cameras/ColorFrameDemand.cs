namespace CctvEdge.Node.Cameras;

/// <summary>The colour output ffmpeg writes for a camera: RGB24 frames of this size at this rate.</summary>
internal readonly record struct ColorOutput(int Width, int Height, double Fps);

/// <summary>
/// Which plugins of a camera want colour frames. ffmpeg writes colour only while someone asks, at the largest size
/// and rate asked (each plugin gets its own size and rate from that, as with gray frames); a change of that output
/// restarts the camera's ffmpeg, since its outputs are fixed for a run.
/// </summary>
internal sealed class ColorFrameDemand
{
    private readonly Dictionary<object, ColorOutput> _requests = [];

    /// <summary>Raised after the output wanted changed.</summary>
    public event Action? Changed;

    /// <summary>The output wanted now, or null when nobody asks.</summary>
    public ColorOutput? Current
    {
        get
        {
            lock (_requests)
            {
                return Combine(_requests.Values);
            }
        }
    }

    public void Add(object owner, ColorOutput request) => Update(requests => requests[owner] = request);

    public void Remove(object owner) => Update(requests => requests.Remove(owner));

    private static ColorOutput? Combine(IEnumerable<ColorOutput> requests) =>
        requests.Any() ? new ColorOutput(requests.Max(r => r.Width), requests.Max(r => r.Height), requests.Max(r => r.Fps)) : null;

    private void Update(Action<Dictionary<object, ColorOutput>> change)
    {
        bool changed;
        lock (_requests)
        {
            var before = Combine(_requests.Values);
            change(_requests);
            changed = before != Combine(_requests.Values);
        }

        if (changed)
        {
            Changed?.Invoke();
        }
    }
}
