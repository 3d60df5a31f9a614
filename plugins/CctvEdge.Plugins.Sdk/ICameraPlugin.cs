namespace CctvEdge.Plugins.Sdk;

/// <summary>
/// A plugin instance attached to one camera. The node creates one instance per camera the plugin is enabled on
/// (through the public parameterless constructor of the manifest's entry type), calls <see cref="StartAsync"/> once,
/// then feeds it what the returned subscription asks for, and disposes it when the camera or plugin stops.
/// Calls to one instance never overlap.
/// </summary>
public interface ICameraPlugin : IAsyncDisposable
{
    /// <summary>
    /// Prepares the instance. Read and validate settings here and throw <see cref="PluginSettingsException"/> with a
    /// clear message when they are wrong; return what the instance wants to consume.
    /// </summary>
    ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken);
}

/// <summary>A plugin that analyses gray frames.</summary>
public interface IFrameAnalyzer : ICameraPlugin
{
    /// <summary>Analyses one frame. The pixels are lent for the duration of the call; copy what you keep.</summary>
    ValueTask OnFrameAsync(GrayFrame frame, CancellationToken cancellationToken);
}

/// <summary>A plugin woken at a fixed interval (sensors, housekeeping).</summary>
public interface ITickHandler : ICameraPlugin
{
    /// <summary>Called every <see cref="PluginSubscription.TickInterval"/>.</summary>
    ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>What a plugin instance consumes.</summary>
/// <param name="Frames">Gray frames, or null for none.</param>
/// <param name="TickInterval">Timer ticks, or null for none.</param>
public sealed record PluginSubscription(FrameRequest? Frames, TimeSpan? TickInterval = null)
{
    /// <summary>
    /// RGB24 frames for an <see cref="IColorFrameAnalyzer"/>, or null for none (the default). Size and rate as for gray
    /// frames: null keeps the camera's detection size or rate.
    /// </summary>
    public FrameRequest? ColorFrames { get; init; }

    /// <summary>Consumes nothing; the plugin only reacts to its own work.</summary>
    public static PluginSubscription None { get; } = new(Frames: null);
}

/// <summary>
/// The gray (or, through <see cref="PluginSubscription.ColorFrames"/>, colour) frames a plugin wants: a size (null for the camera's detection size) and a rate (null for the camera's
/// detection rate). The node scales and skips frames to match; it never sends faster than the camera delivers.
/// </summary>
public sealed record FrameRequest(int? Width = null, int? Height = null, double? Fps = null);

/// <summary>
/// One 8-bit gray frame: <see cref="Height"/> rows of <see cref="Stride"/> bytes, the first <see cref="Width"/> of
/// each row being pixels.
/// </summary>
/// <param name="Pixels">The pixel rows; lent for the duration of the call.</param>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Stride">Bytes per row.</param>
/// <param name="Number">The camera's frame counter since the node started it.</param>
/// <param name="Timestamp">When the node received the frame.</param>
public readonly record struct GrayFrame(ReadOnlyMemory<byte> Pixels, int Width, int Height, int Stride, long Number, DateTimeOffset Timestamp);

/// <summary>Thrown by <see cref="ICameraPlugin.StartAsync"/> when settings are invalid; the message is shown to the installer.</summary>
public sealed class PluginSettingsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PluginSettingsException()
    {
    }

    /// <summary>Creates the exception with a message that names the bad setting.</summary>
    public PluginSettingsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public PluginSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A plugin that can take new settings while it runs, keeping its state (a learned background, counters). When the
/// settings of a running instance change, the node calls <see cref="ReconfigureAsync"/>; the new values are then what
/// <see cref="IPluginContext.BindSettings{T}"/> returns. Throw <see cref="PluginSettingsException"/> to refuse them: the
/// instance keeps its old settings and the refusal is reported. Plugins without this interface are restarted instead.
/// </summary>
public interface IReconfigurable
{
    /// <summary>Re-reads the settings through the context and applies them; never overlaps other calls.</summary>
    ValueTask ReconfigureAsync(IPluginContext context, CancellationToken cancellationToken);
}
