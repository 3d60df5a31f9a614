using CctvEdge.Plugins.Motion.Internal.Detection;
using CctvEdge.Plugins.Motion.Internal.Kernels;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Motion.Internal.Events;

/// <summary>An event as the tracker sees it; <see cref="End"/> is null while it is open.</summary>
internal sealed record MotionEvent(string Id, DateTimeOffset Start, DateTimeOffset? End, double Peak, IReadOnlyList<RegionBox> Boxes, IReadOnlyList<string> Zones, int MotionFrames);

/// <summary>
/// Turns per-frame motion into events: an event opens after <see cref="MotionSettings.MinFrames"/> consecutive motion
/// frames (and starts at the first of them), absorbs bursts separated by less than the gap, closes after the gap
/// (ending at its last motion frame) and is split at the maximum length. An event gathers its peak magnitude, the
/// zones it touched and the boxes where things moved (overlapping boxes merged, at most <see cref="MaxBoxes"/>).
/// </summary>
internal sealed class MotionEventTracker(MotionSettings settings)
{
    public const int MaxBoxes = 8;

    private readonly Accumulator _run = new();
    private MotionSettings _settings = settings;
    private int _consecutive;

    public void Configure(MotionSettings settings) => _settings = settings;

    /// <summary>Feeds one frame; returns the event that opened or closed with it, if any.</summary>
    public MotionEvent? Update(DateTimeOffset now, bool hasMotion, double magnitude, ReadOnlySpan<MotionBlob> blobs, BitLayout layout, ulong zones, string[] zoneNames)
    {
        if (!hasMotion)
        {
            _consecutive = 0;
            if (_run.Id is null)
            {
                _run.Clear();
                return null;
            }

            return now - _run.LastMotion >= TimeSpan.FromSeconds(_settings.GapSeconds) ? Close(_run.LastMotion) : null;
        }

        if (_consecutive++ == 0 && _run.Id is null)
        {
            _run.Begin(now);
        }

        _run.Add(now, magnitude, blobs, layout, zones, zoneNames);
        if (_run.Id is not null)
        {
            return now - _run.Start >= TimeSpan.FromSeconds(_settings.MaxEventSeconds) ? Close(now) : null;
        }

        if (_consecutive < _settings.MinFrames)
        {
            return null;
        }

        _run.Id = Guid.NewGuid().ToString("N");
        return _run.ToEvent(null);
    }

    private MotionEvent Close(DateTimeOffset end)
    {
        var closed = _run.ToEvent(end);
        _run.Clear();
        _consecutive = 0;
        return closed;
    }

    /// <summary>The run of motion being watched: a candidate until it has an id, then the open event.</summary>
    private sealed class Accumulator
    {
        private readonly RegionBox[] _boxes = new RegionBox[MaxBoxes];
        private readonly List<string> _zones = [];
        private int _boxCount;
        private int _frames;
        private double _peak;
        private ulong _zoneBits;

        public string? Id { get; set; }

        public DateTimeOffset Start { get; private set; }

        public DateTimeOffset LastMotion { get; private set; }

        public void Begin(DateTimeOffset start)
        {
            Clear();
            Start = start;
        }

        public void Clear()
        {
            Id = null;
            _boxCount = _frames = 0;
            _peak = 0;
            _zoneBits = 0;
            _zones.Clear();
        }

        public void Add(DateTimeOffset now, double magnitude, ReadOnlySpan<MotionBlob> blobs, BitLayout layout, ulong zones, string[] zoneNames)
        {
            LastMotion = now;
            _frames++;
            _peak = Math.Max(_peak, magnitude);
            foreach (var blob in blobs[..Math.Min(blobs.Length, MaxBoxes)])
            {
                Merge(new RegionBox((float)blob.X / layout.Width, (float)blob.Y / layout.Height, (float)blob.Width / layout.Width, (float)blob.Height / layout.Height));
            }

            // Names are looked up only when a zone is new to the event: per frame this is one mask test.
            for (var z = 0; z < zoneNames.Length && (zones & ~_zoneBits) != 0; z++)
            {
                if ((zones & ~_zoneBits & (1UL << z)) != 0 && !_zones.Contains(zoneNames[z]))
                {
                    _zones.Add(zoneNames[z]);
                }
            }

            _zoneBits |= zones;
        }

        public MotionEvent ToEvent(DateTimeOffset? end) =>
            new(Id!, Start, end, _peak, _boxes.AsSpan(0, _boxCount).ToArray(), _zones.ToArray(), _frames);

        private void Merge(RegionBox box)
        {
            var target = -1;
            for (var i = 0; i < _boxCount && target < 0; i++)
            {
                target = Touch(_boxes[i], box) ? i : -1;
            }

            if (target < 0 && _boxCount < MaxBoxes)
            {
                _boxes[_boxCount++] = box;
                return;
            }

            if (target < 0)
            {
                target = LeastGrowth(box);
            }

            _boxes[target] = Union(_boxes[target], box);
            // The grown box may now touch others: fold them in (starting over after each) so the boxes stay apart.
            for (var i = 0; i < _boxCount; i++)
            {
                if (i != target && Touch(_boxes[i], _boxes[target]))
                {
                    _boxes[target] = Union(_boxes[target], _boxes[i]);
                    _boxes[i] = _boxes[--_boxCount];
                    target = target == _boxCount ? i : target;
                    i = -1;
                }
            }
        }

        private int LeastGrowth(RegionBox box)
        {
            var best = 0;
            var bestGrowth = float.MaxValue;
            for (var i = 0; i < _boxCount; i++)
            {
                var grown = Union(_boxes[i], box);
                var growth = (grown.Width * grown.Height) - (_boxes[i].Width * _boxes[i].Height);
                (best, bestGrowth) = growth < bestGrowth ? (i, growth) : (best, bestGrowth);
            }

            return best;
        }

        private static bool Touch(RegionBox a, RegionBox b) =>
            a.X <= b.X + b.Width && b.X <= a.X + a.Width && a.Y <= b.Y + b.Height && b.Y <= a.Y + a.Height;

        private static RegionBox Union(RegionBox a, RegionBox b)
        {
            float left = Math.Min(a.X, b.X), top = Math.Min(a.Y, b.Y);
            return new RegionBox(left, top, Math.Max(a.X + a.Width, b.X + b.Width) - left, Math.Max(a.Y + a.Height, b.Y + b.Height) - top);
        }
    }
}
