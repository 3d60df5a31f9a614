using CctvEdge.Plugins.Motion.Internal.Configuration;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Plugins.Motion.Tests.Configuration;

public sealed class SettingsValidationTests
{
    private static readonly double[][] Triangle = [[0.1, 0.1], [0.5, 0.1], [0.3, 0.5]];

    public static TheoryData<MotionSettings, string> BadSettings => new()
    {
        { new MotionSettings { Threshold = 0 }, "Threshold must be between 1 and 254 (was 0)" },
        { new MotionSettings { Alpha = 0.001 }, "Alpha must be between 0.004 (1/256) and 1 (was 0.001)" },
        { new MotionSettings { ForegroundAlpha = 0.1 }, "ForegroundAlpha must be between 0.004 (1/256) and Alpha (0.05) (was 0.1)" },
        { new MotionSettings { Downscale = 3 }, "Downscale must be 1, 2 or 4 (was 3)" },
        { new MotionSettings { BlurSize = 7 }, "BlurSize must be 0 (off), 3 or 5 (was 7)" },
        { new MotionSettings { Open = -1 }, "Open must be between 0 and 5 (was -1)" },
        { new MotionSettings { MinAreaPercent = 10, MaxAreaPercent = 5 }, "MaxAreaPercent must be above MinAreaPercent (10) and at most 100 (was 5)" },
        { new MotionSettings { MinChangedPercent = double.NaN }, "MinChangedPercent must be above 0 and below 100 (was NaN)" },
        { new MotionSettings { AdaptiveK = 0 }, "AdaptiveK must be above 0 and at most 20 (was 0)" },
        { new MotionSettings { AdaptiveWindowSeconds = 1e9 }, "AdaptiveWindowSeconds must be between 5 and 3600 (was 1000000000)" },
        { new MotionSettings { MagnitudeIntervalSeconds = 0.05 }, "MagnitudeIntervalSeconds must be 0 (every frame) or between 0.1 and 3600 (was 0.05)" },
        { new MotionSettings { Masks = null! }, "Masks must be a list of polygons (was nothing)" },
        { new MotionSettings { Profiles = null! }, "Profiles must be a list of profiles (was nothing)" },
        { new MotionSettings { Zones = [new MotionPolygon { Points = Triangle }] }, "Zones[0].Name must be 1 to 32 characters" },
        { new MotionSettings { Zones = [new MotionPolygon { Name = "gate", Points = Triangle }, new MotionPolygon { Name = "Gate", Points = Triangle }] }, "Zones[1] ('Gate').Name must be unique (was Gate)" },
        { new MotionSettings { Zones = [new MotionPolygon { Name = "gate" }] }, "Zones[0] ('gate').Points needs at least 3 points as [x, y] pairs (has 0)" },
        { new MotionSettings { Zones = [new MotionPolygon { Name = "gate", Points = [[0.1, 0.1], [1.2, 0.5], [0.3, 0.9]] }] }, "Zones[0] ('gate').Points point 1 [1.2, 0.5] is outside the frame" },
        { new MotionSettings { Masks = [new MotionPolygon { Points = [[0.1, 0.1], [0.5], [0.3, 0.9]] }] }, "Masks[0].Points point 1 must be two numbers [x, y] (has 1)" },
        { new MotionSettings { Masks = [new MotionPolygon { Points = [[0, 0], [0.5, 0.5], [1, 1]] }] }, "Masks[0].Points has no area (its points lie on one line)" },
        { new MotionSettings { Masks = [new MotionPolygon { Points = [[0, 0], [1, 1], [1, 0], [0, 1]] }] }, "Masks[0].Points edges 0-1 and 2-3 cross" },
        { new MotionSettings { Masks = [new MotionPolygon { Points = [[0, 0], [0, 0], [1, 0]] }] }, "Masks[0].Points repeats point 0 as point 1" },
        { new MotionSettings { Profiles = [new MotionProfile { Name = "night", From = TimeSpan.FromHours(20), To = TimeSpan.FromHours(20) }] }, "Profiles[0] ('night').To must be different from From" },
        { new MotionSettings { Profiles = [new MotionProfile { Name = "night", From = TimeSpan.FromHours(20), To = TimeSpan.FromDays(2) }] }, "Profiles[0] ('night').To must be a time of day" },
        { new MotionSettings { Profiles = [new MotionProfile { Name = "night", From = TimeSpan.FromHours(20), To = TimeSpan.FromHours(6), Threshold = 999 }] }, "Profiles[0] ('night').Threshold must be between 1 and 254 (was 999)" },
        {
            new MotionSettings { Profiles = [new MotionProfile { Name = "night", From = TimeSpan.FromHours(20), To = TimeSpan.FromHours(6) }, new MotionProfile { Name = "dawn", From = TimeSpan.FromHours(5), To = TimeSpan.FromHours(8) }] },
            "Profiles[1] ('dawn') overlaps Profiles[0] ('night')"
        },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Validate_BadValue_ThrowsMessageNamingSettingAndRule(MotionSettings settings, string expected)
    {
        var ex = Assert.Throws<PluginSettingsException>(settings.Validate);

        Assert.StartsWith("motion setting ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_Pass()
    {
        new MotionSettings().Validate();
    }

    [Fact]
    public void Create_DownscaleLeavesTooFewPixels_ThrowsNamingDownscale()
    {
        var ex = Assert.Throws<PluginSettingsException>(() => MotionSetup.Create(new MotionSettings { Downscale = 4 }, 60, 40));

        Assert.Equal("motion setting Downscale 4 turns 60x40 frames into 15x10; detection needs at least 16x16 pixels.", ex.Message);
    }

    [Fact]
    public void Create_HugeFrames_ThrowsAskingForDownscale()
    {
        var ex = Assert.Throws<PluginSettingsException>(() => MotionSetup.Create(new MotionSettings(), 3840, 2160));

        Assert.Contains("raise Downscale", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MasksCoverEverything_Throws()
    {
        var settings = new MotionSettings { Masks = [new MotionPolygon { Points = [[0, 0], [1, 0], [1, 1], [0, 1]] }] };

        var ex = Assert.Throws<PluginSettingsException>(() => MotionSetup.Create(settings, 320, 180));

        Assert.Contains("Masks cover the whole frame", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ZoneThinnerThanAPixel_ThrowsNamingZone()
    {
        var settings = new MotionSettings { Zones = [new MotionPolygon { Name = "wire", Points = [[0.1, 0.5], [0.9, 0.5], [0.9, 0.501]] }] };

        var ex = Assert.Throws<PluginSettingsException>(() => MotionSetup.Create(settings, 320, 180));

        Assert.Equal("motion setting Zones[0] ('wire').Points cover no pixel at the detection size 320x180; draw the zone larger.", ex.Message);
    }
}
