namespace CctvEdge.Server.Plugins.Sdk;

/// <summary>One node's results, as one batch the server has just stored.</summary>
/// <param name="NodeId">The node that sent them.</param>
/// <param name="Results">The results, in sequence order; duplicates of earlier batches are not repeated.</param>
public sealed record StoredResults(string NodeId, IReadOnlyList<StoredResult> Results);

/// <summary>One stored result; exactly one of <see cref="Event"/>, <see cref="Measurement"/>, <see cref="File"/> and <see cref="Clip"/> is set.</summary>
/// <param name="Sequence">The node's sequence number of the result.</param>
/// <param name="CameraId">The camera; empty for node-wide results.</param>
/// <param name="PluginId">The node plugin that produced it.</param>
/// <param name="ProducedAt">When the node produced it.</param>
public sealed record StoredResult(ulong Sequence, string CameraId, string PluginId, DateTimeOffset ProducedAt)
{
    /// <summary>An event opened, updated or closed.</summary>
    public StoredEvent? Event { get; init; }

    /// <summary>A measurement.</summary>
    public StoredMeasurement? Measurement { get; init; }

    /// <summary>A small file (an image).</summary>
    public StoredFile? File { get; init; }

    /// <summary>A clip announced by the node; its bytes follow by upload.</summary>
    public StoredClip? Clip { get; init; }
}

/// <summary>An event as stored.</summary>
/// <param name="EventId">The plugin's id for it, unique on the node.</param>
/// <param name="Kind">motion, detection, sensor, or the plugin's own word.</param>
/// <param name="Start">When it started.</param>
/// <param name="End">When it ended; null while it goes on.</param>
/// <param name="Peak">The largest magnitude seen.</param>
/// <param name="Zones">The named zones it touched.</param>
/// <param name="PayloadJson">The plugin's own record as JSON; empty when none.</param>
public sealed record StoredEvent(string EventId, string Kind, DateTimeOffset Start, DateTimeOffset? End, double Peak, IReadOnlyList<string> Zones, string PayloadJson);

/// <summary>A measurement as stored.</summary>
/// <param name="Name">What was measured.</param>
/// <param name="Value">The value.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="At">When.</param>
public sealed record StoredMeasurement(string Name, double Value, string Unit, DateTimeOffset At);

/// <summary>A file as stored.</summary>
/// <param name="Kind">image or thumbnail.</param>
/// <param name="Name">Its name.</param>
/// <param name="ContentType">Its media type.</param>
/// <param name="Size">Bytes.</param>
/// <param name="EventId">The event it illustrates, or empty.</param>
public sealed record StoredFile(string Kind, string Name, string ContentType, long Size, string EventId);

/// <summary>A clip as announced.</summary>
/// <param name="ClipId">The clip's id.</param>
/// <param name="Start">Its first moment.</param>
/// <param name="End">Its last moment.</param>
/// <param name="Size">Bytes.</param>
/// <param name="EventId">The event it shows, or empty.</param>
/// <param name="Reason">Why it was cut.</param>
public sealed record StoredClip(string ClipId, DateTimeOffset Start, DateTimeOffset End, long Size, string EventId, string Reason);
