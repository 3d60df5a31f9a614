using System.Globalization;
using CctvEdge.Harness;

namespace CctvEdge.Testing;

/// <summary>
/// An IP camera on 127.0.0.1: GStreamer's RTSP server (Debian's python3-gi and gir1.2-gst-rtsp-server-1.0, run by
/// rtsp-camera.py) with a 640x360 main stream and a 320x180 sub-stream behind a user and password, as a Hikvision
/// serves channels 101 and 102. It can be stopped and started again on the same port, to play a camera that loses power.
/// </summary>
public sealed class RtspCamera : LoopbackDaemon
{
    public const string User = "admin";
    public const string Password = "cam-pass-4321";

    private RtspCamera()
        : base("rtsp")
    {
    }

    /// <summary>The main stream's address with the right credentials.</summary>
    public string MainUrl => Url("main");

    /// <summary>The sub-stream's address with the right credentials.</summary>
    public string SubUrl => Url("sub");

    public static Task<RtspCamera> StartAsync() => StartAsync(new RtspCamera());

    /// <summary>The address of a stream (<c>main</c> or <c>sub</c>) with the given credentials.</summary>
    public string Url(string stream, string user = User, string password = Password) =>
        string.Create(CultureInfo.InvariantCulture, $"rtsp://{user}:{password}@127.0.0.1:{Port}/{stream}");

    protected override (ChildProcess Process, string ReadyLine) Launch()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "rtsp-camera.py");
        // Debian's gi module imports only under Debian's own interpreter.
        return (ChildProcess.Start("rtsp-camera", "/usr/bin/python3", [script, Port.ToString(CultureInfo.InvariantCulture), User, Password], Directory.Path), "listening on");
    }
}
