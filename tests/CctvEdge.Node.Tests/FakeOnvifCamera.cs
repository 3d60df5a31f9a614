using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using CctvEdge.Harness;

namespace CctvEdge.Node.Tests;

/// <summary>
/// A camera's ONVIF device and media services on 127.0.0.1 (HttpListener), answering as a Hikvision does: the media
/// service at its own path, a main and a sub profile, and every request's WS-Security digest checked against its
/// password (a wrong one gets the ter:NotAuthorized fault with HTTP 400).
/// </summary>
internal sealed class FakeOnvifCamera : IDisposable
{
    public const string User = "admin";
    public const string Password = "onvif-pass-9876";
    private static readonly XNamespace Soap = "http://www.w3.org/2003/05/soap-envelope";
    private static readonly XNamespace Security = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    private static readonly XNamespace Utility = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    private static readonly XNamespace Media = "http://www.onvif.org/ver10/media/wsdl";
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public FakeOnvifCamera(string? streamLogin = null)
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/onvif/");
        _listener.Start();
        StreamLogin = streamLogin;
        _serving = ServeAsync();
    }

    public int Port { get; }

    public string DeviceService => $"http://127.0.0.1:{Port}/onvif/device_service";

    /// <summary>What firmware that puts the login into its stream addresses adds (user:password@), or null.</summary>
    public string? StreamLogin { get; }

    /// <summary>The requests' SOAP bodies' first element names, in order, e.g. GetCapabilities.</summary>
    public List<string> Calls { get; } = [];

    /// <summary>Every request body as received, to check that no password travels in clear.</summary>
    public List<string> Bodies { get; } = [];

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var (status, answer) = Answer(context.Request.Url!.AbsolutePath, body);
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/soap+xml; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int Status, string Body) Answer(string path, string body)
    {
        lock (Calls)
        {
            Bodies.Add(body);
        }

        var request = XDocument.Parse(body);
        var call = request.Root!.Element(Soap + "Body")!.Elements().First();
        lock (Calls)
        {
            Calls.Add(call.Name.LocalName);
        }

        if (!Authorised(request))
        {
            return (400, Envelope("""<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:NotAuthorized</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">Sender not Authorized</s:Text></s:Reason></s:Fault>"""));
        }

        var login = StreamLogin is null ? "" : StreamLogin + "@";
        return (path, call.Name.LocalName) switch
        {
            ("/onvif/device_service", "GetCapabilities") => (200, Envelope($"""
                <tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media><tt:XAddr>http://127.0.0.1:{Port}/onvif/Media</tt:XAddr></tt:Media></tds:Capabilities></tds:GetCapabilitiesResponse>
                """)),
            ("/onvif/Media", "GetProfiles") => (200, Envelope("""
                <trt:GetProfilesResponse>
                  <trt:Profiles token="Profile_2" fixed="true"><tt:Name>subStream</tt:Name><tt:VideoEncoderConfiguration token="VE2"><tt:Name>VE2</tt:Name><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>640</tt:Width><tt:Height>360</tt:Height></tt:Resolution></tt:VideoEncoderConfiguration></trt:Profiles>
                  <trt:Profiles token="Profile_1" fixed="true"><tt:Name>mainStream</tt:Name><tt:VideoEncoderConfiguration token="VE1"><tt:Name>VE1</tt:Name><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>2560</tt:Width><tt:Height>1440</tt:Height></tt:Resolution></tt:VideoEncoderConfiguration></trt:Profiles>
                </trt:GetProfilesResponse>
                """)),
            ("/onvif/Media", "GetStreamUri") => (200, Envelope($"""
                <trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>rtsp://{login}127.0.0.1:554/Streaming/Channels/{(call.Element(Media + "ProfileToken")!.Value == "Profile_1" ? "101" : "102")}?transportmode=unicast</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect></trt:MediaUri></trt:GetStreamUriResponse>
                """)),
            _ => (400, Envelope("""<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:ActionNotSupported</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">Not supported here</s:Text></s:Reason></s:Fault>""")),
        };
    }

    /// <summary>Checks the UsernameToken as a camera does: the digest of nonce, created time and its own password.</summary>
    private static bool Authorised(XDocument request)
    {
        var token = request.Descendants(Security + "UsernameToken").FirstOrDefault();
        if (token is null || token.Element(Security + "Username")?.Value != User)
        {
            return false;
        }

        var nonce = Convert.FromBase64String(token.Element(Security + "Nonce")!.Value);
        var created = token.Element(Utility + "Created")!.Value;
        var digest = Convert.ToBase64String(SHA1.HashData([.. nonce, .. Encoding.UTF8.GetBytes(created), .. Encoding.UTF8.GetBytes(Password)]));
        return token.Element(Security + "Password")?.Value == digest;
    }

    private static string Envelope(string body) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error"><s:Body>{body}</s:Body></s:Envelope>
        """;

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
