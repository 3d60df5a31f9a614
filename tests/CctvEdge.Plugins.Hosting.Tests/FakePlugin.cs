namespace CctvEdge.Plugins.Hosting.Tests;

/// <summary>The contract the runner tests run: anything a host's plugin interface would be.</summary>
public interface IFakePlugin : IAsyncDisposable
{
    ValueTask HandleAsync(int item, CancellationToken cancellationToken);
}

/// <summary>A plugin whose calls do what the test says, and which records what it was given.</summary>
internal sealed class FakePlugin(Func<int, CancellationToken, ValueTask>? handle = null) : IFakePlugin
{
    private readonly List<int> _handled = [];

    public IReadOnlyList<int> Handled
    {
        get
        {
            lock (_handled)
            {
                return [.. _handled];
            }
        }
    }

    public bool Disposed { get; private set; }

    public async ValueTask HandleAsync(int item, CancellationToken cancellationToken)
    {
        if (handle is not null)
        {
            await handle(item, cancellationToken);
        }

        lock (_handled)
        {
            _handled.Add(item);
        }
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
