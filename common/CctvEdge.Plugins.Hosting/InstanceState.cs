namespace CctvEdge.Plugins.Hosting;

/// <summary>Where a running plugin instance (a node plugin on a camera, a server processor) stands.</summary>
public enum InstanceState
{
    Starting,
    Running,
    Failed,
    Disabled,
}

/// <summary>Time limits of an instance's life beyond its calls' (<see cref="CallLimits"/>).</summary>
/// <param name="StartTimeout">How long the plugin's StartAsync may take before the instance is marked failed.</param>
/// <param name="DrainTimeout">How long queued work may take to finish when stopping, and the plugin's DisposeAsync after it.</param>
public sealed record LifecycleLimits(TimeSpan StartTimeout, TimeSpan DrainTimeout)
{
    public static LifecycleLimits Default { get; } = new(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(5));
}
