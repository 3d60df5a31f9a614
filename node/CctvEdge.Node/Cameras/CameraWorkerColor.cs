using System.Net.Sockets;

namespace CctvEdge.Node.Cameras;

/// <summary>
/// The camera's colour frames: read from ffmpeg's socket while some plugin asks for them, and a planned restart of
/// ffmpeg when what is asked changes (a detection plugin started or stopped).
/// </summary>
internal sealed partial class CameraWorker
{
    private volatile bool _restartRequested;

    /// <summary>RGB24 frames, while <see cref="ColorDemand"/> has a request.</summary>
    public FrameFanOut ColorFrames { get; } = new();

    /// <summary>Which plugins want colour frames, and at what size and rate.</summary>
    public ColorFrameDemand ColorDemand { get; } = new();

    /// <summary>Stops ffmpeg (gracefully) when the colour output wanted is no longer the one it writes.</summary>
    private async Task WatchColorDemandAsync(IRunningProcess process, ColorOutput? running, CancellationToken stop)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged()
        {
            if (ColorDemand.Current != running)
            {
                changed.TrySetResult();
            }
        }

        ColorDemand.Changed += OnChanged;
        try
        {
            OnChanged();
            await changed.Task.WaitAsync(stop).ConfigureAwait(false);
            _restartRequested = true;
            LogColorRestart(logger, Camera.Id, Describe(running), Describe(ColorDemand.Current));
            await process.StopAsync(TimeSpan.FromSeconds(ffmpeg.StopTimeoutSeconds)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            ColorDemand.Changed -= OnChanged;
        }
    }

    private async Task ReadColorFramesAsync(ColorSocket socket, ColorOutput output, CancellationToken stop)
    {
        var frameSize = output.Width * output.Height * 3;
        long number = 0;
        try
        {
            await using var stream = await socket.AcceptAsync(stop).ConfigureAwait(false);
            while (true)
            {
                var buffer = SharedFrame.Rent(output.Width, output.Height, 3);
                var read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, frameSize), frameSize, throwOnEndOfStream: false, stop).ConfigureAwait(false);
                if (read < frameSize)
                {
                    SharedFrame.Return(buffer);
                    return;
                }

                var frame = SharedFrame.Wrap(buffer, output.Width, output.Height, ++number, clock.GetUtcNow(), channels: 3);
                ColorFrames.Dispatch(frame);
                frame.Release();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
            // ffmpeg ended or the run is over: the gray frames' reader reports why.
        }
    }

    private static string Describe(ColorOutput? output) => output is { } o ? $"{o.Width}x{o.Height} at {FfmpegArguments.Rate(o.Fps)} fps" : "none";

    [LoggerMessage(EventId = 204, Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Camera {CameraId}: colour frames wanted changed ({Before} -> {After}); restarting ffmpeg.")]
    private static partial void LogColorRestart(Microsoft.Extensions.Logging.ILogger logger, string cameraId, string before, string after);
}
