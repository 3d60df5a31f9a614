using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Sense.Devices;

/// <summary>One opened device: read it and publish what it measured.</summary>
internal interface ISenseDevice : IDisposable
{
    /// <summary>How often the node should call <see cref="ReadAsync"/>.</summary>
    TimeSpan Interval { get; }

    ValueTask ReadAsync(DateTimeOffset now, IResultPublisher results, CancellationToken cancellationToken);
}
