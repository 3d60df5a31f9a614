using CctvEdge.Server.Notifications.Rules;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>Schedules in the server's local time, including ranges past midnight that belong to the day they start.</summary>
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
}
