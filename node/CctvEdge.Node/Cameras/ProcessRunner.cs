using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node.Cameras;

/// <summary>Starts external programs (ffmpeg); the seam tests replace with a fake executable.</summary>
internal interface IProcessRunner
{
    /// <summary>Starts <paramref name="fileName"/>; throws <see cref="ProcessStartException"/> when it cannot run.</summary>
    IRunningProcess Start(string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null);
}

/// <summary>A started program: its stdout to read, its recent stderr for error messages, a polite stop.</summary>
internal interface IRunningProcess : IAsyncDisposable
{
    Stream Output { get; }

    /// <summary>Its stdin: ffmpeg's 'q', or the video a piped source feeds it (<see cref="PipedProcess"/>).</summary>
    Stream Input { get; }

    Task<int> Exited { get; }

    /// <summary>The last lines the program wrote to stderr, for error reports.</summary>
    string RecentErrors { get; }

    /// <summary>CPU time used so far, for the node's heartbeat.</summary>
    TimeSpan TotalProcessorTime { get; }

    /// <summary>Resident memory, for the node's heartbeat.</summary>
    long WorkingSet { get; }

    /// <summary>Asks the program to quit ('q' on stdin, as ffmpeg expects), then kills it after <paramref name="grace"/>.</summary>
    Task StopAsync(TimeSpan grace);
}

/// <summary>The program could not be started at all (not installed, not executable).</summary>
internal sealed class ProcessStartException(string fileName, string message, Exception inner) : Exception(message, inner)
{
    public string FileName { get; } = fileName;
}

internal sealed partial class ProcessRunner(ILogger<ProcessRunner> logger) : IProcessRunner
{
    public IRunningProcess Start(string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new ProcessStartException(fileName, $"'{fileName}' could not be started: {ex.Message}.", ex);
        }

        LogStarted(logger, fileName, process.Id);
        return new RunningProcess(process, logger);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Started {FileName} as process {Pid}.")]
    private static partial void LogStarted(ILogger logger, string fileName, int pid);

    private sealed partial class RunningProcess : IRunningProcess
    {
        private const int KeptErrorLines = 12;
        private readonly Process _process;
        private readonly ILogger _logger;
        private readonly Queue<string> _errors = new();

        public RunningProcess(Process process, ILogger logger)
        {
            _process = process;
            _logger = logger;
            // stderr is always drained: a full pipe would block ffmpeg and look like a frozen camera.
            process.ErrorDataReceived += (_, e) => OnErrorLine(e.Data);
            process.BeginErrorReadLine();
            Exited = WaitForExitAsync();
        }

        public Stream Output => _process.StandardOutput.BaseStream;

        public Stream Input => _process.StandardInput.BaseStream;

        /// <summary>Completes after the exit and after stderr is drained, so the last error lines are in <see cref="RecentErrors"/>.</summary>
        public Task<int> Exited { get; }

        public string RecentErrors
        {
            get
            {
                lock (_errors)
                {
                    return string.Join(Environment.NewLine, _errors);
                }
            }
        }

        public TimeSpan TotalProcessorTime => Safe(() => _process.TotalProcessorTime);

        public long WorkingSet => Safe(() =>
        {
            _process.Refresh();
            return _process.WorkingSet64;
        });

        public async Task StopAsync(TimeSpan grace)
        {
            if (Exited.IsCompleted)
            {
                return;
            }

            try
            {
                await _process.StandardInput.WriteAsync('q').ConfigureAwait(false);
                await _process.StandardInput.FlushAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
            {
                // Already gone or stdin closed: the kill below covers it.
            }

            if (await Task.WhenAny(Exited, Task.Delay(grace)).ConfigureAwait(false) != Exited)
            {
                LogKilled(_logger, _process.Id, grace.TotalSeconds);
                Safe(() =>
                {
                    _process.Kill(entireProcessTree: true);
                    return 0;
                });
                await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            _process.Dispose();
        }

        private void OnErrorLine(string? line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                return;
            }

            // ffmpeg repeats the input URL in its errors: the camera's password stops here, before any log or report.
            line = CameraFailure.Redact(line);

            lock (_errors)
            {
                _errors.Enqueue(line);
                while (_errors.Count > KeptErrorLines)
                {
                    _errors.Dequeue();
                }
            }

            LogStderr(_logger, line);
        }

        private async Task<int> WaitForExitAsync()
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            return Safe(() => _process.ExitCode);
        }

        private static T Safe<T>(Func<T> read)
        {
            try
            {
                return read();
            }
            catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
            {
                return default!;
            }
        }

        [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "ffmpeg: {Line}")]
        private static partial void LogStderr(ILogger logger, string line);

        [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Process {Pid} did not quit within {Seconds}s of 'q'; killed.")]
        private static partial void LogKilled(ILogger logger, int pid, double seconds);
    }
}
