using CctvEdge.Server.Notifications.Rules;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>Schedules and quiet hours in the server's local time (ranges past midnight belong to the day they start), and channel pacing.</summary>
public sealed class RuleScheduleTests
{
    [Theory]
    [InlineData("2026-12-05T23:30:00", true)]   // Saturday night
    [InlineData("2026-12-06T05:59:00", true)]   // the small hours of Saturday night
    [InlineData("2026-12-06T06:00:00", false)]  // Sunday morning
    [InlineData("2026-12-06T23:00:00", true)]   // Sunday night
    [InlineData("2026-12-07T03:00:00", true)]   // Sunday night, after midnight
    [InlineData("2026-12-07T23:00:00", false)]  // Monday night
    [InlineData("2026-12-05T03:00:00", false)]  // Friday night's small hours
    public void Covers_WeekendNights(string local, bool covered)
    {
        var schedule = new RuleSchedule { Days = ["sat", "sun"], From = "22:00", To = "06:00" };

        Assert.Equal(covered, schedule.Covers(DateTimeOffset.Parse(local, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Matches_KindsCamerasZonesAndDisabled()
    {
        var rule = new NotificationRule { Kinds = ["motion"], Cameras = ["barn.yard"], Zones = ["gate", "drive"], Channels = [1] };
        var e = new RuleEvent(1, "barn", "yard", "motion", DateTimeOffset.UtcNow, ["drive"]);

        Assert.True(rule.Matches(e, TimeZoneInfo.Utc));
        Assert.False(rule.Matches(e with { Kind = "system" }, TimeZoneInfo.Utc));
        Assert.False(rule.Matches(e with { CameraId = "gate" }, TimeZoneInfo.Utc));
        Assert.False(rule.Matches(e with { Zones = ["field"] }, TimeZoneInfo.Utc));
        Assert.False((rule with { Enabled = false }).Matches(e, TimeZoneInfo.Utc));
        Assert.True(new NotificationRule { Channels = [1] }.Matches(e with { Zones = [] }, TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("2026-12-05T23:30:00", false)]  // in the quiet hours
    [InlineData("2026-12-06T05:59:00", false)]  // still in them, after midnight
    [InlineData("2026-12-06T06:00:00", true)]   // over
    [InlineData("2026-12-06T12:00:00", true)]
    public void Matches_QuietHoursEveryDay_SendNothing(string at, bool sent)
    {
        var rule = new NotificationRule { Channels = [1], QuietHours = new RuleSchedule { From = "22:00", To = "06:00" } };
        var e = new RuleEvent(1, "barn", "yard", "motion", new DateTimeOffset(DateTime.Parse(at, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero), []);

        Assert.Equal(sent, rule.Matches(e, TimeZoneInfo.Utc));
    }

    [Fact]
    public void Matches_DayOverDayRule_NeverPerEvent()
    {
        var rule = new NotificationRule { Channels = [1], DayOverDay = new RuleDayOverDay { Percent = 25 } };

        Assert.False(rule.Matches(new RuleEvent(1, "barn", "yard", "motion", DateTimeOffset.UtcNow, []), TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("telegram", null, 1.0)]
    [InlineData("telegram", "0.2", 1.0)]   // never faster than Telegram allows
    [InlineData("telegram", "5", 5.0)]
    [InlineData("webhook", null, 0.0)]
    [InlineData("webhook", "2.5", 2.5)]
    public void Pace_ChannelMaySlowItsKindDownOnly(string kind, string? setting, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), CctvEdge.Server.Notifications.Channels.ChannelKinds.All[kind].Pace(setting));
}
