using System.Net.Sockets;

namespace CctvEdge.Node.Cameras;

/// <summary>
/// The Unix socket a camera's ffmpeg writes its colour frames to. In the temp folder, named by process and a counter:
/// a socket path must stay under 108 bytes, which a data folder and camera id need not.
/// </summary>
internal sealed class ColorSocket : IDisposable
{
    private static int _count;
    private readonly Socket _listener;

    private ColorSocket(string path, Socket listener)
    {
        Path = path;
        _listener = listener;
    }

    public string Path { get; }

    public static ColorSocket Listen()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cctvedge-{Environment.ProcessId}-{Interlocked.Increment(ref _count)}.sock");
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            return new ColorSocket(path, listener);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Waits for ffmpeg to connect; the stream ends when ffmpeg does.</summary>
    public async Task<Stream> AcceptAsync(CancellationToken cancellationToken)
    {
        var connection = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
        return new NetworkStream(connection, ownsSocket: true);
    }

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(Path);
    }
}
