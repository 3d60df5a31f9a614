using System.Net;
using System.Xml.Linq;

namespace CctvEdge.Node.Discovery;

/// <summary>
/// The two WS-Discovery (2005/04, the version ONVIF uses) messages the node deals in: the Probe it sends for
/// network video transmitters, and the ProbeMatches cameras answer with. Answers are untrusted network input: no DTD,
/// a size limit, and only an answer to this probe's MessageID counts.
/// </summary>
internal static class WsDiscoveryMessages
{
    public const int Port = 3702;
    public static readonly IPAddress MulticastAddress = IPAddress.Parse("239.255.255.250");

    private static readonly XNamespace Soap = "http://www.w3.org/2003/05/soap-envelope";
    private static readonly XNamespace Addressing = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    private static readonly XNamespace Discovery = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
    private static readonly XNamespace OnvifNetwork = "http://www.onvif.org/ver10/network/wsdl";

    /// <summary>A probe for ONVIF cameras (and the recorders that front them).</summary>
    public static string Probe(string messageId) =>
        new XDocument(
            new XElement(Soap + "Envelope",
                new XAttribute(XNamespace.Xmlns + "s", Soap),
                new XAttribute(XNamespace.Xmlns + "a", Addressing),
                new XAttribute(XNamespace.Xmlns + "d", Discovery),
                new XAttribute(XNamespace.Xmlns + "dn", OnvifNetwork),
                new XElement(Soap + "Header",
                    new XElement(Addressing + "MessageID", messageId),
                    new XElement(Addressing + "To", new XAttribute(Soap + "mustUnderstand", "true"), "urn:schemas-xmlsoap-org:ws:2005:04:discovery"),
                    new XElement(Addressing + "Action", new XAttribute(Soap + "mustUnderstand", "true"), "http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe")),
                new XElement(Soap + "Body",
                    new XElement(Discovery + "Probe",
                        new XElement(Discovery + "Types", "dn:NetworkVideoTransmitter"))))).ToString(SaveOptions.DisableFormatting);

    /// <summary>
    /// The devices in a ProbeMatches answer to <paramref name="messageId"/>; empty for anything else (another probe's
    /// answer, a Hello, malformed XML).
    /// </summary>
    public static IReadOnlyList<OnvifDevice> ParseMatches(ReadOnlySpan<byte> datagram, string messageId, IPAddress from)
    {
        if (UntrustedXml.Parse(datagram) is not { } document)
        {
            return [];
        }

        var header = document.Root?.Element(Soap + "Header");
        if (header?.Element(Addressing + "RelatesTo")?.Value.Trim() != messageId)
        {
            return [];
        }

        return document.Descendants(Discovery + "ProbeMatch").Select(m => Device(m, from)).ToList();
    }

    private static OnvifDevice Device(XElement match, IPAddress from)
    {
        var addresses = Words(match.Element(Discovery + "XAddrs")?.Value)
            .Where(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            .ToList();
        var scopes = Words(match.Element(Discovery + "Scopes")?.Value).ToList();
        var host = addresses.Count > 0 ? new Uri(addresses[0]).Host : from.ToString();
        return new OnvifDevice(
            match.Element(Addressing + "EndpointReference")?.Element(Addressing + "Address")?.Value.Trim() ?? "",
            host,
            addresses,
            Scope(scopes, "name"),
            Scope(scopes, "hardware"),
            Scope(scopes, "location"),
            Words(match.Element(Discovery + "Types")?.Value).ToList());
    }

    /// <summary>The value of an <c>onvif://www.onvif.org/KIND/VALUE</c> scope, unescaped, or "".</summary>
    private static string Scope(IEnumerable<string> scopes, string kind)
    {
        var prefix = $"onvif://www.onvif.org/{kind}/";
        var scope = scopes.FirstOrDefault(s => s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
        return scope is null ? "" : Uri.UnescapeDataString(scope[prefix.Length..]);
    }

    private static IEnumerable<string> Words(string? text) =>
        (text ?? "").Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
}
