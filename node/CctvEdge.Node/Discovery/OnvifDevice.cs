namespace CctvEdge.Node.Discovery;

/// <summary>One device that answered a WS-Discovery probe: its id, where its ONVIF service is, and what its scopes say.</summary>
/// <param name="Endpoint">Its stable id (usually urn:uuid:...).</param>
/// <param name="Host">The host of its first service address, or where the answer came from.</param>
/// <param name="ServiceAddresses">Its ONVIF device service URLs (XAddrs).</param>
/// <param name="Name">The name scope, e.g. the name set in the camera's web page.</param>
/// <param name="Hardware">The hardware scope: usually the model.</param>
/// <param name="Location">The location scope.</param>
/// <param name="Types">The types it declared, e.g. dn:NetworkVideoTransmitter.</param>
/// <param name="Streams">Its media profiles and their RTSP addresses, when a login was given and it answered.</param>
/// <param name="StreamError">Why its streams could not be read, when a login was given and they could not.</param>
internal sealed record OnvifDevice(
    string Endpoint,
    string Host,
    IReadOnlyList<string> ServiceAddresses,
    string Name,
    string Hardware,
    string Location,
    IReadOnlyList<string> Types,
    IReadOnlyList<OnvifStream>? Streams = null,
    string? StreamError = null);
