namespace CctvEdge.Node.Cameras;

/// <summary>
/// Two programs run as one camera process, the first's stdout pumped into the second's stdin (<c>rpicam-vid | ffmpeg</c>).
/// The pump lives in the node rather than in a shell so both stay behind the <see cref="IProcessRunner"/> seam: each is
/// started, watched and stopped like any other, and a test can stand in for either. When either ends the other follows;
/// the stop ends the producer, and ffmpeg, reading end of input, closes its segment cleanly.
/// </summary>
internal sealed class PipedProcess : IRunningProcess
{
    private readonly string _producerName;
    private readonly IRunningProcess _producer;
    private readonly IRunningProcess _consumer;
    private readonly Task _pump;
    private volatile bool _stopping;
    private int? _producerFailure;

    public PipedProcess(string producerName, IRunningProcess producer, IRunningProcess consumer)
    {
        _producerName = producerName;
        _producer = producer;
        _consumer = consumer;
        _pump = PumpAsync();
        Exited = WaitForBothAsync();
    }

    public Stream Output => _consumer.Output;

    /// <summary>The producer's stdin; the consumer's is the pipe.</summary>
    public Stream Input => _producer.Input;

    /// <summary>The consumer's exit code, or the producer's when it failed on its own (the camera missing or busy).</summary>
    public Task<int> Exited { get; }

    /// <summary>The producer's lines first, named, as it is usually the one that knows what went wrong with the camera.</summary>
    public string RecentErrors
    {
        get
        {
            var producer = _producer.RecentErrors;
            var consumer = _consumer.RecentErrors;
            var exited = _producerFailure is { } code ? $"{_producerName} exited with code {code}" + Environment.NewLine : "";
            var named = producer.Length == 0 ? "" : string.Join(Environment.NewLine, producer.Split(Environment.NewLine).Select(l => $"{_producerName}: {l}")) + Environment.NewLine;
            return (exited + named + consumer).TrimEnd();
        }
    }

    public TimeSpan TotalProcessorTime => _producer.TotalProcessorTime + _consumer.TotalProcessorTime;

    public long WorkingSet => _producer.WorkingSet + _consumer.WorkingSet;

    public async Task StopAsync(TimeSpan grace)
    {
        _stopping = true;
        // The producer goes first and at once (it holds no file open); the consumer then reads the end of its input.
        await _producer.StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        await _consumer.StopAsync(grace).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        await _producer.DisposeAsync().ConfigureAwait(false);
        await _consumer.DisposeAsync().ConfigureAwait(false);
    }

    private async Task PumpAsync()
    {
        // Off the caller's thread: the constructor returns at once and the copy runs for the life of the camera.
        await Task.Yield();
        try
        {
            await _producer.Output.CopyToAsync(_consumer.Input).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The consumer went away (a broken pipe): its exit is the news, handled in WaitForBothAsync.
        }
        finally
        {
            try
            {
                _consumer.Input.Close();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
    }

    private async Task<int> WaitForBothAsync()
    {
        var consumer = await _consumer.Exited.ConfigureAwait(false);
        // A producer already gone ended the consumer's input: its exit is the cause, unless the node stopped it.
        var producerFirst = _producer.Exited.IsCompleted && !_stopping;
        // Whatever ended the consumer ends the producer too: nothing would read it any more.
        await _producer.StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        var producer = await _producer.Exited.ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        if (producerFirst && producer != 0)
        {
            _producerFailure = producer;
            return producer;
        }

        return consumer;
    }
}
