using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using CctvEdge.Node.Cameras;

namespace CctvEdge.Node.Discovery;

/// <summary>
/// Asks a camera's ONVIF device service for its streams: the media service's address, its profiles, and each
/// profile's RTSP address, so an installer copies a working MainUrl and SubUrl instead of guessing the make's paths.
/// The UsernameToken digest covers most cameras; HTTP digest authentication, which some firmware asks for as well,
/// is answered by the handler with the same user and password.
/// </summary>
internal sealed class OnvifMediaClient(HttpMessageHandler handler, TimeProvider clock) : IDisposable
{
    private readonly HttpClient _http = new(handler) { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>A client for <paramref name="login"/> over a real HTTP handler.</summary>
    public static OnvifMediaClient Create(OnvifLogin login) =>
        new(new SocketsHttpHandler { Credentials = new NetworkCredential(login.User, login.Password), PreAuthenticate = false }, TimeProvider.System);

    /// <summary>The camera's profiles with their RTSP addresses, largest picture first.</summary>
    /// <exception cref="OnvifException">The camera could not be reached, refused the login, or answered nonsense.</exception>
    public async Task<IReadOnlyList<OnvifStream>> GetStreamsAsync(Uri deviceService, OnvifLogin login, CancellationToken cancellationToken)
    {
        var capabilities = await CallAsync(deviceService, "http://www.onvif.org/ver10/device/wsdl/GetCapabilities",
            OnvifMessages.GetCapabilities(login, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        // A camera that names no media service usually serves it at the device service's address.
        var media = OnvifMessages.MediaAddress(capabilities) ?? deviceService;
        var profiles = OnvifMessages.Profiles(await CallAsync(media, "http://www.onvif.org/ver10/media/wsdl/GetProfiles",
            OnvifMessages.GetProfiles(login, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false));
        if (profiles.Count == 0)
        {
            throw new OnvifException("the camera has no media profile");
        }

        var streams = new List<OnvifStream>();
        foreach (var profile in profiles)
        {
            var answer = await CallAsync(media, "http://www.onvif.org/ver10/media/wsdl/GetStreamUri",
                OnvifMessages.GetStreamUri(login, clock.GetUtcNow(), profile.Token), cancellationToken).ConfigureAwait(false);
            if (OnvifMessages.StreamUri(answer) is { } uri)
            {
                // Some firmware puts the login into the address it returns: it is never shown.
                streams.Add(profile with { Uri = CameraFailure.Redact(uri) });
            }
        }

        return streams.OrderByDescending(s => s.Width * s.Height).ToList();
    }

    private async Task<XDocument> CallAsync(Uri address, string action, string envelope, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = new StringContent(envelope) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse($"application/soap+xml; charset=utf-8; action=\"{action}\"");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new OnvifException($"{address.Host}:{address.Port} could not be reached ({ex.Message})");
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new OnvifException(RefusedLogin);
            }

            var body = await ReadLimitedAsync(response, cancellationToken).ConfigureAwait(false);
            var document = UntrustedXml.Parse(body)
                ?? throw new OnvifException($"{address} did not answer with ONVIF XML (HTTP {(int)response.StatusCode})");
            if (OnvifMessages.Fault(document) is { } fault)
            {
                throw new OnvifException(fault.Subcode.EndsWith("NotAuthorized", StringComparison.Ordinal)
                    ? RefusedLogin
                    : $"the camera answered a fault: {fault.Reason} ({fault.Subcode})");
            }

            return document;
        }
    }

    private const string RefusedLogin = "the camera refused the user name or password (is the user an ONVIF user in the camera's settings, and is its clock right?)";

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > OnvifMessages.MaxAnswerBytes)
            {
                throw new OnvifException($"the camera's answer is larger than {OnvifMessages.MaxAnswerBytes / 1024} KiB");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A camera's ONVIF service could not tell its streams; the message says why in words.</summary>
internal sealed class OnvifException(string message) : Exception(message);
