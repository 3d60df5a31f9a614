using Microsoft.Extensions.Logging;

namespace CctvEdge.Plugins.Sdk;

/// <summary>What the node offers a plugin instance. Nothing else of the host is reachable from a plugin.</summary>
public interface IPluginContext
{
    /// <summary>The plugin's id from its manifest.</summary>
    string PluginId { get; }

    /// <summary>The camera this instance serves.</summary>
    CameraDescriptor Camera { get; }

    /// <summary>
    /// Binds the plugin's settings for this camera (from the node's config) to <typeparamref name="T"/>: names match
    /// case-insensitively, missing values keep the defaults, unknown names or wrong types raise
    /// <see cref="PluginSettingsException"/> naming the setting. Validation attributes on the properties
    /// (<c>[Range]</c>, <c>[Required]</c>, <c>[StringLength]</c>, ... from <c>System.ComponentModel.DataAnnotations</c>)
    /// and <c>IValidatableObject</c> are checked too, with the same exception.
    /// </summary>
    T BindSettings<T>()
        where T : class, new();

    /// <summary>Where results go; each call returns once the result is safely queued on the node.</summary>
    IResultPublisher Results { get; }

    /// <summary>The latest JPEG snapshot of the camera.</summary>
    ISnapshotSource Snapshots { get; }

    /// <summary>Clips of the camera's recorded video.</summary>
    IClipRecorder Clips { get; }

    /// <summary>A logger named after the plugin and camera.</summary>
    ILogger Logger { get; }

    /// <summary>The node's clock; use it instead of <see cref="DateTimeOffset.UtcNow"/> so tests can control time.</summary>
    TimeProvider Clock { get; }
}

/// <summary>The camera a plugin instance serves.</summary>
/// <param name="Id">The camera id, unique on the node.</param>
/// <param name="Name">The camera's display name.</param>
/// <param name="DetectWidth">Width of the camera's detection frames.</param>
/// <param name="DetectHeight">Height of the camera's detection frames.</param>
/// <param name="DetectFps">Rate of the camera's detection frames.</param>
public sealed record CameraDescriptor(string Id, string Name, int DetectWidth, int DetectHeight, double DetectFps);

/// <summary>Publishes results; they travel through the node's outbox to the server.</summary>
public interface IResultPublisher
{
    /// <summary>Publishes an event; publishing the same <see cref="PluginEvent.EventId"/> again updates it.</summary>
    ValueTask PublishAsync(PluginEvent pluginEvent, CancellationToken cancellationToken = default);

    /// <summary>Publishes a measurement.</summary>
    ValueTask PublishAsync(PluginMeasurement measurement, CancellationToken cancellationToken = default);

    /// <summary>Publishes a small file (an image); large media goes through the clip path.</summary>
    ValueTask PublishAsync(PluginFile file, CancellationToken cancellationToken = default);
}

/// <summary>Gives the camera's latest JPEG snapshot.</summary>
public interface ISnapshotSource
{
    /// <summary>The latest snapshot, or null when the camera has produced none yet.</summary>
    JpegSnapshot? Latest { get; }
}

/// <summary>A JPEG picture of the camera.</summary>
/// <param name="Jpeg">The encoded bytes.</param>
/// <param name="CapturedAt">When the node received it.</param>
public sealed record JpegSnapshot(ReadOnlyMemory<byte> Jpeg, DateTimeOffset CapturedAt);
