using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Plugins.Recording;

/// <summary>
/// Cuts a clip around every event of the configured kinds: pre-roll, the event, post-roll. It asks the node for the
/// clip once the post-roll has passed, so the node already has all the video.
/// </summary>
[PluginSettings(typeof(RecordingSettings))]
public sealed partial class RecordingPlugin : IEventObserver, ITickHandler
{
    private IPluginContext _context = null!;
    private RecordingSettings _settings = new();
    private ClipWindows _windows = null!;

    /// <inheritdoc />
    public ValueTask<PluginSubscription> StartAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _settings = context.BindSettings<RecordingSettings>();
        _settings.Validate();
        if (!context.Clips.IsRecording)
        {
            throw new PluginSettingsException($"camera '{context.Camera.Id}' does not record: set its Recording:Enabled to true, or remove the recording plugin.");
        }

        _windows = new ClipWindows(_settings);
        return ValueTask.FromResult(new PluginSubscription(Frames: null, TickInterval: TimeSpan.FromSeconds(1)));
    }

    /// <inheritdoc />
    public async ValueTask OnEventAsync(PluginEvent pluginEvent, string pluginId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pluginEvent);
        if (!_settings.EventKinds.Contains(pluginEvent.Kind, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        await RequestAsync(_windows.OnEvent(pluginEvent.EventId, pluginEvent.Start, pluginEvent.End, _context.Clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        RequestAsync(_windows.OnTick(_context.Clock.GetUtcNow()), cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async ValueTask RequestAsync(IReadOnlyList<ClipWindow> windows, CancellationToken cancellationToken)
    {
        foreach (var window in windows)
        {
            var id = await _context.Clips.RequestClipAsync(new ClipRequest(window.Start, window.End) { EventId = window.EventId, Reason = "motion" }, cancellationToken).ConfigureAwait(false);
            LogRequested(_context.Logger, id, window.Start, window.End, window.EventId);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Clip {ClipId} requested: {Start:u} to {End:u} for event {EventId}.")]
    private static partial void LogRequested(ILogger logger, string clipId, DateTimeOffset start, DateTimeOffset end, string eventId);
}
