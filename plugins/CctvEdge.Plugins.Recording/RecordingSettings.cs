using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Recording;

/// <summary>The recording plugin's settings for one camera.</summary>
public sealed class RecordingSettings
{
    /// <summary>Seconds of video kept before an event starts.</summary>
    public double PreRollSeconds { get; set; } = 5;

    /// <summary>Seconds of video kept after an event ends; an event starting within it joins the same clip.</summary>
    public double PostRollSeconds { get; set; } = 5;

    /// <summary>The longest clip; longer activity is cut into several clips.</summary>
    public double MaxClipSeconds { get; set; } = 300;

    /// <summary>The event kinds that get a clip.</summary>
    public List<string> EventKinds { get; set; } = ["motion"];

    /// <summary>Throws <see cref="PluginSettingsException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (PreRollSeconds is < 0 or > 120)
        {
            throw new PluginSettingsException($"recording setting PreRollSeconds must be between 0 and 120 (was {PreRollSeconds}).");
        }

        if (PostRollSeconds is < 0 or > 120)
        {
            throw new PluginSettingsException($"recording setting PostRollSeconds must be between 0 and 120 (was {PostRollSeconds}).");
        }

        if (MaxClipSeconds < PreRollSeconds + PostRollSeconds + 1 || MaxClipSeconds > 1800)
        {
            throw new PluginSettingsException($"recording setting MaxClipSeconds must be above PreRollSeconds + PostRollSeconds and at most 1800 (was {MaxClipSeconds}).");
        }

        if (EventKinds.Count == 0 || EventKinds.Any(string.IsNullOrWhiteSpace))
        {
            throw new PluginSettingsException("recording setting EventKinds must name at least one event kind, e.g. [\"motion\"].");
        }
    }
}
