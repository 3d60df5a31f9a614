using CctvEdge.Plugins.Motion.Internal.Configuration;

namespace CctvEdge.Plugins.Motion.Tests.Configuration;

public sealed class ProfileScheduleTests
{
    private static readonly MotionSettings Settings = new()
    {
        Threshold = 25,
        Profiles =
        [
            new MotionProfile { Name = "night", From = TimeSpan.FromHours(19.5), To = TimeSpan.FromHours(6), Threshold = 40, Adaptive = true },
            new MotionProfile { Name = "noon", From = TimeSpan.FromHours(12), To = TimeSpan.FromHours(13), MinAreaPercent = 1 },
        ],
    };

    [Theory]
    [InlineData(19.49, -1)]
    [InlineData(19.5, 0)]
    [InlineData(23.99, 0)]
    [InlineData(0, 0)]
    [InlineData(5.99, 0)]
    [InlineData(6, -1)]
    [InlineData(12.5, 1)]
    [InlineData(13, -1)]
    public void ActiveAt_TimeOfDay_PicksProfileWrappingMidnight(double hour, int expected)
    {
        Assert.Equal(expected, new ProfileSchedule(Settings).ActiveAt(TimeSpan.FromHours(hour)));
    }

    [Fact]
    public void SettingsFor_Profile_OverridesOnlyItsValues()
    {
        var schedule = new ProfileSchedule(Settings);

        var night = schedule.SettingsFor(0);

        Assert.Equal((40, true, Settings.MinAreaPercent, Settings.Alpha), (night.Threshold, night.Adaptive, night.MinAreaPercent, night.Alpha));
        Assert.Same(Settings, schedule.SettingsFor(-1));
        Assert.Equal("night", schedule.NameFor(0));
    }
}
