using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;

namespace CctvEdge.Node.Discovery;

/// <summary>
/// Sends the probe and gathers the answers until the time is up. By default to the WS-Discovery multicast group from
/// every IPv4 interface that can multicast (a Pi often has both Ethernet and Wi-Fi, and a camera answers only on its
/// own LAN); to one address when given, for a camera on another subnet, where multicast does not reach.
/// </summary>
internal static class WsDiscoveryProbe
{
    public static async Task<IReadOnlyList<OnvifDevice>> RunAsync(IPEndPoint? target, TimeSpan wait, CancellationToken cancellationToken)
    {
        var messageId = "uuid:" + Guid.NewGuid().ToString("D");
        var probe = Encoding.UTF8.GetBytes(WsDiscoveryMessages.Probe(messageId));
        var sockets = target is null ? MulticastSockets() : [new UdpClient(new IPEndPoint(IPAddress.Any, 0))];
        try
        {
            var destination = target ?? new IPEndPoint(WsDiscoveryMessages.MulticastAddress, WsDiscoveryMessages.Port);
            foreach (var socket in sockets)
            {
                // UDP may drop a datagram; WS-Discovery's advice is to repeat the probe.
                await socket.SendAsync(probe, destination, cancellationToken).ConfigureAwait(false);
                await socket.SendAsync(probe, destination, cancellationToken).ConfigureAwait(false);
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(wait);
            var found = await Task.WhenAll(sockets.Select(s => ReceiveAsync(s, messageId, deadline.Token))).ConfigureAwait(false);
            return found.SelectMany(d => d)
                .GroupBy(d => d.Endpoint.Length > 0 ? d.Endpoint : d.Host, StringComparer.OrdinalIgnoreCase)
                .Select(g => g.First())
                .OrderBy(d => d.Host, StringComparer.Ordinal)
                .ToList();
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private static async Task<List<OnvifDevice>> ReceiveAsync(UdpClient socket, string messageId, CancellationToken deadline)
    {
        var devices = new List<OnvifDevice>();
        try
        {
            while (true)
            {
                var answer = await socket.ReceiveAsync(deadline).ConfigureAwait(false);
                devices.AddRange(WsDiscoveryMessages.ParseMatches(answer.Buffer, messageId, answer.RemoteEndPoint.Address));
            }
        }
        catch (OperationCanceledException)
        {
            return devices;
        }
        catch (SocketException)
        {
            // An ICMP "port unreachable" from a unicast target surfaces as a reset: nobody answers there.
            return devices;
        }
    }

    private static List<UdpClient> MulticastSockets()
    {
        var addresses = NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.SupportsMulticast && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork)
            .ToList();
        var sockets = new List<UdpClient>();
        foreach (var address in addresses)
        {
            try
            {
                var socket = new UdpClient(new IPEndPoint(address, 0));
                socket.Client.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, address.GetAddressBytes());
                socket.Client.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 1);
                sockets.Add(socket);
            }
            catch (SocketException)
            {
                // An address that cannot be bound (going away, tentative): the others still probe.
            }
        }

        return sockets;
    }
}
