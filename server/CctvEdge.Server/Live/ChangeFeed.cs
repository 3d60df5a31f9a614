using CctvEdge.Web.Services;

namespace CctvEdge.Server.Live;

/// <summary>In-process fan-out of changes to open pages. Subscribers must be quick; pages debounce and reload.</summary>
internal sealed class ChangeFeed : ILiveUpdates
{
    private Action<LiveChange>[] _subscribers = [];

    public IDisposable Subscribe(Action<LiveChange> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        Update(list => [.. list, onChange]);
        return new Subscription(() => Update(list => [.. list.Where(s => s != onChange)]));
    }

    public void Publish(LiveChange change)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            try
            {
                subscriber(change);
            }
            catch (Exception)
            {
                // A broken page must not stop ingest or other pages.
            }
        }
    }

    private void Update(Func<Action<LiveChange>[], Action<LiveChange>[]> change)
    {
        while (true)
        {
            var current = Volatile.Read(ref _subscribers);
            if (Interlocked.CompareExchange(ref _subscribers, change(current), current) == current)
            {
                return;
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
