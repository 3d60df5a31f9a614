using System.Text.Json.Serialization;

namespace CctvEdge.Node.Discovery;

/// <summary>The JSON of <c>discover --json</c>, for scripts: camelCase, as the node's other JSON.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(IReadOnlyList<OnvifDevice>))]
internal sealed partial class DiscoveryJson : JsonSerializerContext;
