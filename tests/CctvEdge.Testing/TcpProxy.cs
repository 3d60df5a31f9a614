using System.Net;
using System.Net.Sockets;

namespace CctvEdge.Testing;

/// <summary>
/// A TCP proxy on 127.0.0.1 between a node and the server. It can cut the link (close every connection and refuse
/// new ones until restored) and corrupt traffic: flip one byte the first time any of a set of markers passes from
/// client to server, which is how a test puts a damaged chunk on the wire without touching either program.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TcpClient Client, TcpClient Server)> _links = [];
    private readonly Task _accepting;
    private volatile bool _cut;
    private byte[][] _markers = [];
    private int _corruptions;

    public TcpProxy(int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many times a byte was flipped.</summary>
    public int Corruptions => Volatile.Read(ref _corruptions);

    /// <summary>Closes every connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_links)
        {
            foreach (var (client, server) in _links)
            {
                client.Dispose();
                server.Dispose();
            }

            _links.Clear();
        }
    }

    public void Restore() => _cut = false;

    /// <summary>Flips one byte in the middle of the first of <paramref name="markers"/> seen going to the server, once.</summary>
    public void CorruptOnce(IEnumerable<byte[]> markers) => _markers = markers.ToArray();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            if (_cut)
            {
                client.Dispose();
                continue;
            }

            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(_target, _stop.Token);
            }
            catch (SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            lock (_links)
            {
                _links.Add((client, server));
            }

            _ = PumpAsync(client.GetStream(), server.GetStream(), corrupt: true);
            _ = PumpAsync(server.GetStream(), client.GetStream(), corrupt: false);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool corrupt)
    {
        var buffer = new byte[64 * 1024];
        // The tail of the previous read, so a marker split across two reads is still found.
        var carry = Array.Empty<byte>();
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (corrupt && _markers.Length > 0 && Volatile.Read(ref _corruptions) == 0)
                {
                    carry = FlipMarker(buffer, read, carry);
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
        }
        finally
        {
            from.Socket.Dispose();
            to.Socket.Dispose();
        }
    }

    private byte[] FlipMarker(byte[] buffer, int read, byte[] carry)
    {
        var window = new byte[carry.Length + read];
        carry.CopyTo(window, 0);
        buffer.AsSpan(0, read).CopyTo(window.AsSpan(carry.Length));
        foreach (var marker in _markers)
        {
            var at = window.AsSpan().IndexOf(marker);
            var flip = at + (marker.Length / 2) - carry.Length;
            if (at >= 0 && flip >= 0 && Interlocked.CompareExchange(ref _corruptions, 1, 0) == 0)
            {
                buffer[flip] ^= 0x5A;
                return [];
            }
        }

        var keep = Math.Min(window.Length, _markers.Max(m => m.Length));
        return window[^keep..];
    }
}
