using CctvEdge.Node.Uplink.Policy;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Cameras;

/// <summary>Something that hears of events on its camera; it must queue them, never block the publisher.</summary>
internal interface IEventSink
{
    string PluginId { get; }

    void Offer(PluginEvent pluginEvent, string publisherId);
}

/// <summary>Tells the observers of a camera about the events published on it, each event once it is durable.</summary>
internal sealed class CameraEventBus(TimeProvider clock)
{
    private IEventSink[] _sinks = [];

    /// <summary>The camera's events of the last hour, which its clips' upload is decided on.</summary>
    public RecentEvents Recent { get; } = new(clock);

    public void Add(IEventSink sink)
    {
        lock (this)
        {
            _sinks = [.. _sinks, sink];
        }
    }

    public void Remove(IEventSink sink)
    {
        lock (this)
        {
            _sinks = [.. _sinks.Where(s => s != sink)];
        }
    }

    public void Publish(PluginEvent pluginEvent, string publisherId)
    {
        Recent.Record(pluginEvent);
        foreach (var sink in Volatile.Read(ref _sinks))
        {
            if (sink.PluginId != publisherId)
            {
                sink.Offer(pluginEvent, publisherId);
            }
        }
    }
}
