using CctvEdge.Node.Cameras;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Configuration;

/// <summary>
/// The cameras the node runs now, and where they came from (the local file, version 0, or a version pushed by the
/// fleet hub). Both followers of configuration, the local file's reloader and the hub's pushes, replace it only
/// with cameras that passed the start checks; the plugin host applies each change live.
/// </summary>
internal sealed class CameraConfiguration(IOptions<CamerasOptions> start)
{
    private CamerasOptions _current = start.Value;

    public CamerasOptions Current => Volatile.Read(ref _current);

    /// <summary>The hub's version in force; 0 while the local config file's cameras are.</summary>
    public ulong Version => Current.Version;

    /// <summary>Raised after <see cref="Current"/> changed; handlers must not block.</summary>
    public event Action? Changed;

    public void Replace(CamerasOptions cameras)
    {
        Volatile.Write(ref _current, cameras);
        Changed?.Invoke();
    }
}
