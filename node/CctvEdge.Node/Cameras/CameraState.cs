namespace CctvEdge.Node.Cameras;

internal enum CameraRunState
{
    Starting,
    Running,
    Failed,
    Stopped,
}

/// <summary>A camera's state for heartbeats, updated by its worker.</summary>
internal sealed class CameraStatusBoard
{
    private readonly object _gate = new();
    private CameraRunState _state = CameraRunState.Starting;
    private string _error = "";
    private long _framesTotal;
    private DateTimeOffset? _lastFrameAt;
    private double _fps;
    private long _fpsWindowFrames;
    private DateTimeOffset _fpsWindowStart = DateTimeOffset.UtcNow;

    public (CameraRunState State, string Error, long FramesTotal, DateTimeOffset? LastFrameAt, double Fps) Read()
    {
        lock (_gate)
        {
            return (_state, _error, _framesTotal, _lastFrameAt, _fps);
        }
    }

    /// <summary>Raised, outside the lock, when the state or its error changes (not on every frame).</summary>
    public event Action<CameraRunState, string>? Changed;

    public void Set(CameraRunState state, string error = "")
    {
        bool changed;
        lock (_gate)
        {
            changed = _state != state || _error != error;
            _state = state;
            _error = error;
        }

        if (changed)
        {
            Changed?.Invoke(state, error);
        }
    }

    public void FrameArrived(DateTimeOffset at)
    {
        bool resumed;
        lock (_gate)
        {
            resumed = _state != CameraRunState.Running;
            _state = CameraRunState.Running;
            _error = "";
            _framesTotal++;
            _lastFrameAt = at;
            _fpsWindowFrames++;
            var elapsed = (at - _fpsWindowStart).TotalSeconds;
            if (elapsed >= 5)
            {
                _fps = _fpsWindowFrames / elapsed;
                _fpsWindowFrames = 0;
                _fpsWindowStart = at;
            }
        }

        if (resumed)
        {
            Changed?.Invoke(CameraRunState.Running, "");
        }
    }
}
