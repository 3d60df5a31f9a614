using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace CctvEdge.Node.Discovery;

/// <summary>
/// The three ONVIF SOAP 1.2 requests that turn a camera's device service into its RTSP stream addresses
/// (GetCapabilities for the media service, GetProfiles, GetStreamUri) and the parsing of their answers. Requests carry
/// a WS-Security UsernameToken with a password digest, which every ONVIF camera takes; the password itself never goes
/// over the wire. Answers are untrusted network input: no DTD, a size limit.
/// </summary>
internal static class OnvifMessages
{
    public const int MaxAnswerBytes = UntrustedXml.MaxChars;

    private static readonly XNamespace Soap = "http://www.w3.org/2003/05/soap-envelope";
    private static readonly XNamespace Device = "http://www.onvif.org/ver10/device/wsdl";
    private static readonly XNamespace Media = "http://www.onvif.org/ver10/media/wsdl";
    private static readonly XNamespace Schema = "http://www.onvif.org/ver10/schema";
    private static readonly XNamespace Security = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    private static readonly XNamespace Utility = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    private const string DigestType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
    private const string NonceEncoding = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

    public static string GetCapabilities(OnvifLogin login, DateTimeOffset now) =>
        Envelope(login, now, new XElement(Device + "GetCapabilities", new XElement(Device + "Category", "Media")));

    public static string GetProfiles(OnvifLogin login, DateTimeOffset now) =>
        Envelope(login, now, new XElement(Media + "GetProfiles"));

    public static string GetStreamUri(OnvifLogin login, DateTimeOffset now, string profileToken) =>
        Envelope(login, now, new XElement(Media + "GetStreamUri",
            new XElement(Media + "StreamSetup",
                new XElement(Schema + "Stream", "RTP-Unicast"),
                new XElement(Schema + "Transport", new XElement(Schema + "Protocol", "RTSP"))),
            new XElement(Media + "ProfileToken", profileToken)));

    /// <summary>WS-Security's digest: Base64(SHA-1(nonce + created + password)).</summary>
    public static string PasswordDigest(byte[] nonce, string created, string password) =>
        Convert.ToBase64String(SHA1.HashData([.. nonce, .. Encoding.UTF8.GetBytes(created + password)]));

    /// <summary>The media service's address from a GetCapabilities answer, or null when it names none.</summary>
    public static Uri? MediaAddress(XDocument answer)
    {
        var address = answer.Descendants(Schema + "Media").Elements(Schema + "XAddr").FirstOrDefault()?.Value.Trim();
        return Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
    }

    /// <summary>The media profiles of a GetProfiles answer: token, name, codec and size (the last two may be empty).</summary>
    public static IReadOnlyList<OnvifStream> Profiles(XDocument answer) =>
        answer.Descendants(Media + "Profiles")
            .Select(p =>
            {
                var encoder = p.Element(Schema + "VideoEncoderConfiguration");
                var resolution = encoder?.Element(Schema + "Resolution");
                return new OnvifStream(
                    (string?)p.Attribute("token") ?? "",
                    p.Element(Schema + "Name")?.Value.Trim() ?? "",
                    encoder?.Element(Schema + "Encoding")?.Value.Trim() ?? "",
                    Number(resolution?.Element(Schema + "Width")),
                    Number(resolution?.Element(Schema + "Height")),
                    "");
            })
            .Where(p => p.Token.Length > 0)
            .ToList();

    /// <summary>The RTSP address of a GetStreamUri answer, or null when it has none.</summary>
    public static string? StreamUri(XDocument answer)
    {
        var uri = answer.Descendants(Media + "MediaUri").Elements(Schema + "Uri").FirstOrDefault()?.Value.Trim();
        return Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == "rtsp" ? uri : null;
    }

    /// <summary>A SOAP fault's reason and subcode (e.g. ter:NotAuthorized), or null when the answer is not a fault.</summary>
    public static (string Subcode, string Reason)? Fault(XDocument answer)
    {
        var fault = answer.Descendants(Soap + "Fault").FirstOrDefault();
        if (fault is null)
        {
            return null;
        }

        var subcode = fault.Element(Soap + "Code")?.Element(Soap + "Subcode")?.Element(Soap + "Value")?.Value.Trim() ?? "";
        var reason = fault.Element(Soap + "Reason")?.Elements(Soap + "Text").FirstOrDefault()?.Value.Trim() ?? "";
        return (subcode, reason);
    }

    private static int Number(XElement? element) => int.TryParse(element?.Value, out var n) && n > 0 ? n : 0;

    private static string Envelope(OnvifLogin login, DateTimeOffset now, XElement body)
    {
        var nonce = RandomNumberGenerator.GetBytes(16);
        var created = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        return new XDocument(
            new XElement(Soap + "Envelope",
                new XAttribute(XNamespace.Xmlns + "s", Soap),
                new XAttribute(XNamespace.Xmlns + "tds", Device),
                new XAttribute(XNamespace.Xmlns + "trt", Media),
                new XAttribute(XNamespace.Xmlns + "tt", Schema),
                new XElement(Soap + "Header",
                    new XElement(Security + "Security",
                        new XAttribute(Soap + "mustUnderstand", "1"),
                        new XElement(Security + "UsernameToken",
                            new XElement(Security + "Username", login.User),
                            new XElement(Security + "Password", new XAttribute("Type", DigestType), PasswordDigest(nonce, created, login.Password)),
                            new XElement(Security + "Nonce", new XAttribute("EncodingType", NonceEncoding), Convert.ToBase64String(nonce)),
                            new XElement(Utility + "Created", created)))),
                new XElement(Soap + "Body", body))).ToString(SaveOptions.DisableFormatting);
    }
}

/// <summary>The user and password a camera's ONVIF service is asked with.</summary>
internal sealed record OnvifLogin(string User, string Password);

/// <summary>One media profile of a camera and its RTSP address.</summary>
/// <param name="Token">The profile's token, as the camera names it to itself.</param>
/// <param name="Name">The profile's name, e.g. mainStream.</param>
/// <param name="Encoding">Its video codec, e.g. H264 (empty when the camera did not say).</param>
/// <param name="Width">Its picture width (0 when not said).</param>
/// <param name="Height">Its picture height (0 when not said).</param>
/// <param name="Uri">Its RTSP address, without a password.</param>
internal sealed record OnvifStream(string Token, string Name, string Encoding, int Width, int Height, string Uri);
