using System.Globalization;
using CctvEdge.Harness;

namespace CctvEdge.Testing;

/// <summary>
/// An IP camera on 127.0.0.1: GStreamer's RTSP server (Debian's python3-gi and gir1.2-gst-rtsp-server-1.0, run by
/// rtsp-camera.py) with a 640x360 main stream and a 320x180 sub-stream behind a user and password, as a Hikvision
/// serves channels 101 and 102. It can be stopped and started again on the same port, to play a camera that loses power.
/// </summary>
public sealed class RtspCamera : IAsyncDisposable
{
    public const string User = "admin";
    public const string Password = "cam-pass-4321";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _directory = new("cctvedge-rtsp");
    private ChildProcess? _process;

    private RtspCamera() => Port = FreePort.Next();

    public int Port { get; }

    /// <summary>The main stream's address with the right credentials.</summary>
    public string MainUrl => Url("main");

    /// <summary>The sub-stream's address with the right credentials.</summary>
    public string SubUrl => Url("sub");

    public static async Task<RtspCamera> StartAsync()
    {
        var camera = new RtspCamera();
        try
        {
            await camera.StartAgainAsync();
            return camera;
        }
        catch
        {
            await camera.DisposeAsync();
            throw;
        }
    }

    /// <summary>The address of a stream (<c>main</c> or <c>sub</c>) with the given credentials.</summary>
    public string Url(string stream, string user = User, string password = Password) =>
        string.Create(CultureInfo.InvariantCulture, $"rtsp://{user}:{password}@127.0.0.1:{Port}/{stream}");

    /// <summary>Starts the camera (again) on its port.</summary>
    public async Task StartAgainAsync()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "rtsp-camera.py");
        // Debian's gi module imports only under Debian's own interpreter.
        _process = ChildProcess.Start("rtsp-camera", "/usr/bin/python3", [script, Port.ToString(CultureInfo.InvariantCulture), User, Password], _directory.Path);
        try
        {
            await _process.WaitForLineAsync("listening on", StartTimeout);
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    /// <summary>Stops the camera: its port refuses connections until it starts again.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _directory.Dispose();
    }
}
