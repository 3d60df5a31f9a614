namespace CctvEdge.Node;

/// <summary>The host part of an HttpListener prefix for a bind address (the node's HTTP endpoints use HttpListener, in the base runtime).</summary>
internal static class ListenerHost
{
    /// <summary>Its wildcard for "any address", brackets around IPv6, the address itself otherwise.</summary>
    public static string For(string bindAddress) =>
        bindAddress is "0.0.0.0" or "::" ? "+" : bindAddress.Contains(':', StringComparison.Ordinal) ? $"[{bindAddress}]" : bindAddress;
}
