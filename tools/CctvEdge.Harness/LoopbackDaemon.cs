namespace CctvEdge.Harness;

/// <summary>
/// A real server program a test runs on 127.0.0.1 (a broker, a camera): a free port, a scratch folder, started and
/// waited for until it says it is ready, and stoppable and startable again on the same port, to play one that goes away.
/// </summary>
public abstract class LoopbackDaemon : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private ChildProcess? _process;

    protected LoopbackDaemon(string name)
    {
        Port = FreePort.Next();
        Directory = new TempDirectory("cctvedge-" + name);
    }

    public int Port { get; }

    /// <summary>The process started for the program (under root, the one that switched user), or null when stopped.</summary>
    public int? ProcessId => _process?.Id;

    protected TempDirectory Directory { get; }

    /// <summary>Starts the program (again) on its port and waits for its ready line.</summary>
    public async Task StartAgainAsync()
    {
        var (process, readyLine) = Launch();
        _process = process;
        try
        {
            await process.WaitForLineAsync(readyLine, StartTimeout);
        }
        catch
        {
            // One that did not come up is stopped, not left behind.
            await StopAsync();
            throw;
        }
    }

    /// <summary>Stops the program: its port refuses connections until it starts again.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            try
            {
                await StopCleanlyAsync();
            }
            finally
            {
                // Killed whatever the clean stop left (its whole process tree).
                await process.DisposeAsync();
            }
        }
    }

    /// <summary>Asks the program to stop on its own before it is killed (one that leaves shared memory behind when killed).</summary>
    protected virtual Task StopCleanlyAsync() => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the program; returns it and the pattern of the line it writes once it serves.</summary>
    protected abstract (ChildProcess Process, string ReadyLine) Launch();

    /// <summary>Prepares and starts <paramref name="daemon"/>; disposes it when that fails.</summary>
    protected static async Task<T> StartAsync<T>(T daemon, Func<T, Task>? prepare = null)
        where T : LoopbackDaemon
    {
        try
        {
            if (prepare is not null)
            {
                await prepare(daemon);
            }

            await daemon.StartAgainAsync();
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }
}
