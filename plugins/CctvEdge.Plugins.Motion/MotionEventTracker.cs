using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Motion;

/// <summary>An event as the tracker sees it; <see cref="End"/> is null while it is open.</summary>
internal sealed record MotionEvent(string Id, DateTimeOffset Start, DateTimeOffset? End, double Peak, RegionBox? Box, int MotionFrames);

/// <summary>
/// Turns per-frame motion into events: an event opens after <see cref="MotionSettings.MinFrames"/> consecutive motion
/// frames, absorbs bursts separated by less than the gap, closes after the gap (ending at its last motion frame) and
/// is split at the maximum length.
/// </summary>
internal sealed class MotionEventTracker(MotionSettings settings)
{
    private MotionSettings _settings = settings;
    private int _consecutive;
    private DateTimeOffset _runStart;
    private Open? _open;

    public void Configure(MotionSettings settings) => _settings = settings;

    /// <summary>Feeds one frame; returns the events that opened or closed with it.</summary>
    public IReadOnlyList<MotionEvent> Update(DateTimeOffset now, FrameMotion motion, int frameWidth, int frameHeight)
    {
        var hasMotion = !motion.GlobalChange && motion.ChangedPercent >= _settings.MinChangedPercent;
        var changes = new List<MotionEvent>(2);
        if (hasMotion)
        {
            if (_consecutive++ == 0)
            {
                _runStart = now;
            }

            if (_open is not null)
            {
                _open.Extend(now, motion, frameWidth, frameHeight);
                if (now - _open.Start >= TimeSpan.FromSeconds(_settings.MaxEventSeconds))
                {
                    changes.Add(_open.ToEvent(now));
                    _open = null;
                    _consecutive = 0;
                }
            }
            else if (_consecutive >= _settings.MinFrames)
            {
                // The frames of the run that opened the event belong to it.
                _open = new Open(Guid.NewGuid().ToString("N"), _runStart, _consecutive - 1);
                _open.Extend(now, motion, frameWidth, frameHeight);
                changes.Add(_open.ToEvent(null));
            }
        }
        else
        {
            _consecutive = 0;
            if (_open is not null && now - _open.LastMotion >= TimeSpan.FromSeconds(_settings.GapSeconds))
            {
                changes.Add(_open.ToEvent(_open.LastMotion));
                _open = null;
            }
        }

        return changes;
    }

    private sealed class Open(string id, DateTimeOffset start, int earlierFrames)
    {
        private int _minX = int.MaxValue, _minY = int.MaxValue, _maxX, _maxY, _width = 1, _height = 1;
        private int _frames = earlierFrames;
        private double _peak;

        public DateTimeOffset Start { get; } = start;

        public DateTimeOffset LastMotion { get; private set; } = start;

        public void Extend(DateTimeOffset now, FrameMotion motion, int width, int height)
        {
            LastMotion = now;
            _frames++;
            _peak = Math.Max(_peak, motion.ChangedPercent);
            _width = width;
            _height = height;
            if (motion.Box is { } b)
            {
                _minX = Math.Min(_minX, b.X);
                _minY = Math.Min(_minY, b.Y);
                _maxX = Math.Max(_maxX, b.X + b.Width);
                _maxY = Math.Max(_maxY, b.Y + b.Height);
            }
        }

        public MotionEvent ToEvent(DateTimeOffset? end)
        {
            RegionBox? box = _minX == int.MaxValue
                ? null
                : new RegionBox((float)_minX / _width, (float)_minY / _height, (float)(_maxX - _minX) / _width, (float)(_maxY - _minY) / _height);
            return new MotionEvent(id, Start, end, _peak, box, _frames);
        }
    }
}
