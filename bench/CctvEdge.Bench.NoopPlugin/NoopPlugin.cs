using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Bench.NoopPlugin;

/// <summary>Does nothing with its frames: what is left to measure is the host's own cost per frame.</summary>
public sealed class NoopPlugin : IFrameAnalyzer
{
    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PluginSubscription(new FrameRequest()));

    public ValueTask OnFrameAsync(GrayFrame frame, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
