namespace CctvEdge.Plugins.Sdk;

/// <summary>
/// Something happened on a camera. Publish it when it starts (no <see cref="End"/>) and again when it ends; the
/// server keeps the latest version of each <see cref="EventId"/>.
/// </summary>
/// <param name="EventId">A unique id chosen by the plugin, e.g. a GUID.</param>
/// <param name="Kind">motion, detection, sensor, or the plugin's own word.</param>
/// <param name="Start">When it started.</param>
public sealed record PluginEvent(string EventId, string Kind, DateTimeOffset Start)
{
    /// <summary>When it ended; null while it goes on.</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>The largest magnitude seen, in the plugin's own unit.</summary>
    public double Peak { get; init; }

    /// <summary>Where in the frame, as boxes scaled to 0..1.</summary>
    public IReadOnlyList<RegionBox> Boxes { get; init; } = [];

    /// <summary>The named zones it touched.</summary>
    public IReadOnlyList<string> Zones { get; init; } = [];

    /// <summary>
    /// What it shows, e.g. person, vehicle, intrusion: a node's upload policy sends the clips of events with its
    /// flagged labels, and rules match them.
    /// </summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>The plugin's own record; serialized to JSON and stored with the event.</summary>
    public object? Payload { get; init; }
}

/// <summary>A box in frame coordinates scaled to 0..1.</summary>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
public readonly record struct RegionBox(float X, float Y, float Width, float Height);

/// <summary>A value at a time: a motion magnitude, a temperature.</summary>
/// <param name="Name">What is measured, e.g. motion.magnitude.</param>
/// <param name="Value">The value.</param>
/// <param name="Unit">Its unit, e.g. %, °C.</param>
/// <param name="At">When.</param>
public sealed record PluginMeasurement(string Name, double Value, string Unit, DateTimeOffset At);

/// <summary>A small file such as an event image.</summary>
/// <param name="Kind">image or thumbnail.</param>
/// <param name="Name">A file name.</param>
/// <param name="ContentType">Its media type, e.g. image/jpeg.</param>
/// <param name="Data">The bytes.</param>
public sealed record PluginFile(string Kind, string Name, string ContentType, ReadOnlyMemory<byte> Data)
{
    /// <summary>The event it illustrates, if any.</summary>
    public string? EventId { get; init; }
}
