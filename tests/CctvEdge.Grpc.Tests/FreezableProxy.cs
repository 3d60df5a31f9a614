using System.Net;
using System.Net.Sockets;

namespace CctvEdge.Grpc.Tests;

/// <summary>
/// A TCP relay on 127.0.0.1 that can stop relaying without closing anything: what a peer sees when a 4G link
/// silently vanishes. Only keepalive pings can tell such a connection is dead.
/// </summary>
internal sealed class FreezableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private volatile bool _frozen;

    public FreezableProxy(Uri target)
    {
        _listener.Start();
        _accepting = AcceptAsync(target);
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>From now on bytes are read and dropped in both directions.</summary>
    public void Freeze() => _frozen = true;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        await _accepting.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private async Task AcceptAsync(Uri target)
    {
        var pumps = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await server.ConnectAsync(target.Host, target.Port, _stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(client);
                    _sockets.Add(server);
                }

                pumps.Add(PumpAsync(client, server));
                pumps.Add(PumpAsync(server, client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(pumps);
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                if (!_frozen)
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
