namespace CctvEdge.Protocol;

/// <summary>Limits both ends of the node-server contract apply, so neither refuses what the other may send.</summary>
public static class MessageLimits
{
    /// <summary>
    /// The largest gRPC message either side sends or accepts. Snapshots (up to 8 MiB, checked by the server's session)
    /// and 512 KiB clip chunks fit with room; gRPC's 4 MiB default would refuse a large snapshot before the session
    /// could say why.
    /// </summary>
    public const int MaxMessageBytes = 16 * 1024 * 1024;
}
