using System.Threading.Channels;

namespace CctvEdge.Plugins.Hosting;

/// <summary>What the runner does with each of its queues when the instance stops.</summary>
internal interface IDrainable
{
    void Complete();

    void ReleaseLeftovers();
}

/// <summary>
/// Work waiting for one plugin instance (frames, events, stored batches). Bounded, one reader: a plugin that falls
/// behind loses items, counted as dropped, and never slows whoever offers them (a camera, ingest).
/// </summary>
public sealed class PluginQueue<T> : IDrainable
{
    private readonly Channel<T> _items;
    private readonly Func<bool> _running;
    private readonly Action _dropped;
    private readonly Action<T>? _release;

    internal PluginQueue(int capacity, Func<bool> running, Action dropped, Action<T>? release)
    {
        _items = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true });
        _running = running;
        _dropped = dropped;
        _release = release;
    }

    /// <summary>Queues an item while the instance runs; never waits. False when it was not taken.</summary>
    public bool Offer(T item)
    {
        if (!_running())
        {
            _release?.Invoke(item);
            return false;
        }

        if (_items.Writer.TryWrite(item))
        {
            return true;
        }

        _release?.Invoke(item);
        _dropped();
        return false;
    }

    void IDrainable.Complete() => _items.Writer.TryComplete();

    void IDrainable.ReleaseLeftovers()
    {
        while (_items.Reader.TryRead(out var left))
        {
            _release?.Invoke(left);
        }
    }

    internal async Task ConsumeAsync(Func<T, ValueTask> handle, CancellationToken stop)
    {
        await foreach (var item in _items.Reader.ReadAllAsync(stop).ConfigureAwait(false))
        {
            try
            {
                await handle(item).ConfigureAwait(false);
            }
            finally
            {
                _release?.Invoke(item);
            }
        }
    }
}
