using System.Globalization;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Timelapse;

/// <summary>
/// The <c>Timelapse</c> section: one still per camera every <see cref="IntervalSeconds"/> from the snapshots nodes send,
/// and once a day an MP4 of the previous day made from them, stored as a clip of reason <c>timelapse</c>.
/// </summary>
internal sealed class TimelapseOptions
{
    public const string Section = "Timelapse";

    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between the stills kept per camera; snapshots in between are not kept.</summary>
    public int IntervalSeconds { get; set; } = 60;

    /// <summary>The video's rate: at 30 fps and one still a minute a day lasts 48 s.</summary>
    public int FramesPerSecond { get; set; } = 30;

    /// <summary>Wider stills are scaled down to this (the height keeps the still's aspect, rounded to even).</summary>
    public int MaxWidth { get; set; } = 1280;

    /// <summary>The ffmpeg executable.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>An encode running longer than this is killed and retried later.</summary>
    public int EncodeTimeoutMinutes { get; set; } = 30;

    /// <summary>Stills of a day whose video could not be made (no ffmpeg, say) are deleted after this many days.</summary>
    public int KeepStillsDays { get; set; } = 7;
}

internal sealed class TimelapseOptionsValidator : IValidateOptions<TimelapseOptions>
{
    public ValidateOptionsResult Validate(string? name, TimelapseOptions options)
    {
        var errors = new List<string>();
        Range(errors, "Timelapse:IntervalSeconds", options.IntervalSeconds, 1, 86_400);
        Range(errors, "Timelapse:FramesPerSecond", options.FramesPerSecond, 1, 120);
        Range(errors, "Timelapse:MaxWidth", options.MaxWidth, 16, 7680);
        Range(errors, "Timelapse:EncodeTimeoutMinutes", options.EncodeTimeoutMinutes, 1, 1440);
        Range(errors, "Timelapse:KeepStillsDays", options.KeepStillsDays, 1, 365);
        if (string.IsNullOrWhiteSpace(options.FfmpegPath))
        {
            errors.Add("Timelapse:FfmpegPath is required (e.g. ffmpeg or /usr/bin/ffmpeg).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key} must be between {min} and {max} (was {value})."));
        }
    }
}
