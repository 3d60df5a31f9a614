using CctvEdge.Plugins.Motion.Internal.Detection;
using CctvEdge.Plugins.Motion.Internal.Kernels;

namespace CctvEdge.Plugins.Motion.Internal.Configuration;

/// <summary>
/// Settings that passed every check, for frames of a known size: the numbers, the profiles, and the masks and zones
/// drawn at the detection size. Built when the plugin starts or is reconfigured, so a mistake is reported then, with
/// the setting's name, and never in the frame loop.
/// </summary>
internal sealed class MotionSetup
{
    public const int MinDetectionSide = 16;
    public const int MaxDetectionPixels = 1920 * 1080;

    private MotionRegions _regions;

    private MotionSetup(MotionSettings settings, MotionRegions regions)
    {
        Settings = settings;
        Profiles = new ProfileSchedule(settings);
        _regions = regions;
    }

    public MotionSettings Settings { get; }

    public ProfileSchedule Profiles { get; }

    /// <summary>Validates <paramref name="settings"/> for frames of the given size; throws PluginSettingsException.</summary>
    public static MotionSetup Create(MotionSettings settings, int frameWidth, int frameHeight)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (SizeProblem(frameWidth, frameHeight, settings.Downscale) is { } problem)
        {
            throw SettingsRules.Invalid(nameof(settings.Downscale), problem);
        }

        var regions = MotionRegions.Build(settings, MotionDetector.DetectionLayout(frameWidth, frameHeight, settings.Downscale));
        if (regions.WatchedPixels == 0)
        {
            throw SettingsRules.Invalid(nameof(settings.Masks), "cover the whole frame; nothing is left to watch");
        }

        if (regions.EmptyZone() is { } zone)
        {
            var index = settings.Zones.FindIndex(z => z.Name == zone);
            throw SettingsRules.Invalid($"Zones[{index}] ('{zone}').Points", $"cover no pixel at the detection size {regions.Layout.Width}x{regions.Layout.Height}; draw the zone larger");
        }

        return new MotionSetup(settings, regions);
    }

    /// <summary>Why frames of this size cannot be analysed with this downscale factor, or null.</summary>
    public static string? SizeProblem(int frameWidth, int frameHeight, int downscale)
    {
        var layout = MotionDetector.DetectionLayout(frameWidth, frameHeight, downscale);
        if (layout.Width < MinDetectionSide || layout.Height < MinDetectionSide)
        {
            return $"{downscale} turns {frameWidth}x{frameHeight} frames into {layout.Width}x{layout.Height}; detection needs at least {MinDetectionSide}x{MinDetectionSide} pixels";
        }

        return (long)layout.Width * layout.Height > MaxDetectionPixels
            ? $"{downscale} leaves {frameWidth}x{frameHeight} frames at {layout.Width}x{layout.Height}; detection works on at most {MaxDetectionPixels} pixels (1920x1080): raise Downscale or lower the camera's Detect size"
            : null;
    }

    /// <summary>Masks and zones drawn for a detection size (kept for the last size asked).</summary>
    public MotionRegions RegionsFor(BitLayout layout)
    {
        if (_regions.Layout != layout)
        {
            _regions = MotionRegions.Build(Settings, layout);
        }

        return _regions;
    }
}
