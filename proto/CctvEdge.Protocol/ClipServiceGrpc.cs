namespace CctvEdge.Protocol.V1;

/// <summary>The clip service's call metadata (clip.proto); the typed layer itself is generated from the .proto.</summary>
public static partial class ClipService
{
    /// <summary>Metadata key carrying the node's id on clip calls.</summary>
    public const string NodeIdHeader = "cctvedge-node-id";

    /// <summary>Metadata key carrying the node's credential on clip calls.</summary>
    public const string CredentialHeader = "cctvedge-credential";
}
