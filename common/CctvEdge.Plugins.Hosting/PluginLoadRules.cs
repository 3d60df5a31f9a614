using System.Reflection;

namespace CctvEdge.Plugins.Hosting;

/// <summary>What a host requires of the plugins it loads.</summary>
/// <param name="Sdk">The host's SDK assembly: a plugin's <c>sdkAbi</c> and its reference to this assembly must match it.</param>
/// <param name="AbiVersion">The SDK ABI the host speaks (the SDK's major version).</param>
/// <param name="Contract">The interface an entry type must implement.</param>
/// <param name="Shared">Assemblies taken from the host rather than the plugin's folder (the SDK and what it exposes).</param>
/// <param name="ShadowDirectory">Where plugin folders are copied before loading, so the originals can be replaced at any time.</param>
public sealed record PluginLoadRules(Assembly Sdk, int AbiVersion, Type Contract, IReadOnlySet<string> Shared, string ShadowDirectory)
{
    /// <summary>Other interfaces an entry type may implement instead of <see cref="Contract"/> (a node's sensor plugins).</summary>
    public IReadOnlyList<Type> OtherContracts { get; init; } = [];

    /// <summary>Every interface an entry type may implement.</summary>
    public IReadOnlyList<Type> Contracts => [Contract, .. OtherContracts];

    public string SdkName => Sdk.GetName().Name!;

    public Version SdkVersion => Sdk.GetName().Version!;
}
