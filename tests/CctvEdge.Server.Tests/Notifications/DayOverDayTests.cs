using CctvEdge.Harness;
using CctvEdge.Server.Notifications.Trends;
using CctvEdge.Testing;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>Day-over-day rules: today's motion time against yesterday's by the same hour, once a day per camera.</summary>
public sealed class DayOverDayTests
{
    [Theory]
    [InlineData(120, 60, 60, 100.0)]
    [InlineData(45, 60, 60, -25.0)]
    [InlineData(600, 59, 60, null)]   // yesterday too quiet to compare with
    [InlineData(10, 0, 0, null)]      // nothing yesterday at all
    public void Increase_PercentOverYesterday(double today, double yesterday, double minimum, double? expected) =>
        Assert.Equal(expected, DayOverDay.Increase(today, yesterday, minimum));

    [Fact]
    public void Windows_YesterdayCoversTheSameHours()
    {
        var now = DateTimeOffset.UtcNow;

        var (todayFrom, yesterdayFrom, yesterdayTo) = DayOverDay.Windows(now);

        Assert.True(todayFrom <= now && now - todayFrom < TimeSpan.FromHours(25));
        Assert.Equal(now - todayFrom, yesterdayTo - yesterdayFrom);
        Assert.True(yesterdayTo <= todayFrom);
    }

    [Fact]
    public async Task DayOverDay_TwiceYesterdaysMotion_OneTrendMessage_AQuietIncreaseIsSilent()
    {
        await using var server = await InProcessServer.StartAsync(
            "--Notifications:TrendCheckMinutes", "0.005", "--Notifications:TrendMinimumSeconds", "0.1",
            "--Notifications:RetryBaseSeconds", "0.2", "--Notifications:IntervalSeconds", "0.2");
        using var receiver = new HookListener();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = receiver.Url } });
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "Busier", cameras = new[] { "barn.yard", "barn.gate" }, channels = new[] { channel }, dayOverDay = new { percent = 50 } });
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard", "gate"));
        var now = DateTimeOffset.UtcNow;
        var (todayFrom, yesterdayFrom, _) = DayOverDay.Windows(now);
        var hours = now - todayFrom;

        // Yard: a quarter of the hours so far yesterday, half today (+100 %). Gate: a quarter, then 0.3 (+20 %).
        await node.SendBatchAsync(
            NodeSessionClient.Event(1, "yard-y", yesterdayFrom, yesterdayFrom + (hours / 4)),
            NodeSessionClient.Event(2, "yard-t", todayFrom, todayFrom + (hours / 2)),
            NodeSessionClient.Event(3, "gate-y", yesterdayFrom, yesterdayFrom + (hours / 4), camera: "gate"),
            NodeSessionClient.Event(4, "gate-t", todayFrom, todayFrom + (hours * 0.3), camera: "gate"));
        var hook = await Eventually.GetAsync(() => Task.FromResult(receiver.Hooks.FirstOrDefault()), TimeSpan.FromSeconds(30), "the trend message");
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Single(receiver.Hooks);
        var e = hook.Json.GetProperty("event");
        Assert.Equal(("motion-trend", "yard"), (e.GetProperty("kind").GetString(), e.GetProperty("camera").GetString()));
        Assert.InRange(e.GetProperty("peak").GetDouble(), 99, 101);
        Assert.Contains("recorded 100 % more motion today", e.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DayOverDay_RuleOfDetectionKind_ComparesDetectionTimeOnly_DetectionTrendEvent()
    {
        await using var server = await InProcessServer.StartAsync(
            "--Notifications:TrendCheckMinutes", "0.005", "--Notifications:TrendMinimumSeconds", "0.1",
            "--Notifications:RetryBaseSeconds", "0.2", "--Notifications:IntervalSeconds", "0.2");
        using var receiver = new HookListener();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = receiver.Url } });
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "More people", kinds = new[] { "detection" }, cameras = new[] { "barn.yard", "barn.gate" }, channels = new[] { channel }, dayOverDay = new { percent = 50 } });
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard", "gate"));
        var now = DateTimeOffset.UtcNow;
        var (todayFrom, yesterdayFrom, _) = DayOverDay.Windows(now);
        var hours = now - todayFrom;

        // Yard: detections a quarter of the hours yesterday, half today (+100 %); its motion is the same both days.
        // Gate: motion doubles but its detections do not change, so a motion measure would send gate, not yard.
        await node.SendBatchAsync(
            Kind(NodeSessionClient.Event(1, "yard-dy", yesterdayFrom, yesterdayFrom + (hours / 4)), "detection"),
            Kind(NodeSessionClient.Event(2, "yard-dt", todayFrom, todayFrom + (hours / 2)), "detection"),
            NodeSessionClient.Event(3, "yard-my", yesterdayFrom, yesterdayFrom + (hours / 4)),
            NodeSessionClient.Event(4, "yard-mt", todayFrom, todayFrom + (hours / 4)),
            Kind(NodeSessionClient.Event(5, "gate-dy", yesterdayFrom, yesterdayFrom + (hours / 4), camera: "gate"), "detection"),
            Kind(NodeSessionClient.Event(6, "gate-dt", todayFrom, todayFrom + (hours / 4), camera: "gate"), "detection"),
            NodeSessionClient.Event(7, "gate-my", yesterdayFrom, yesterdayFrom + (hours / 4), camera: "gate"),
            NodeSessionClient.Event(8, "gate-mt", todayFrom, todayFrom + (hours / 2), camera: "gate"));
        var hook = await Eventually.GetAsync(() => Task.FromResult(receiver.Hooks.FirstOrDefault()), TimeSpan.FromSeconds(30), "the trend message");
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Single(receiver.Hooks);
        var e = hook.Json.GetProperty("event");
        Assert.Equal(("detection-trend", "yard"), (e.GetProperty("kind").GetString(), e.GetProperty("camera").GetString()));
        Assert.InRange(e.GetProperty("peak").GetDouble(), 99, 101);
        Assert.Contains("recorded 100 % more detection today", e.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "motion-trend", "motion")]
    [InlineData("detection", "detection-trend", "detection")]
    [InlineData("motion,detection", "trend", "motion and detection events")]
    [InlineData("motion,detection,sensor", "trend", "motion, detection and sensor events")]
    public void Kinds_TrendKindAndWords(string kinds, string trendKind, string words)
    {
        var of = DayOverDay.KindsOf(new CctvEdge.Web.Services.NotificationRule { Kinds = kinds.Split(',', StringSplitOptions.RemoveEmptyEntries) });

        Assert.Equal((trendKind, words), (DayOverDay.TrendKind(of), DayOverDay.Words(of)));
    }

    private static CctvEdge.Protocol.V1.Result Kind(CctvEdge.Protocol.V1.Result result, string kind)
    {
        result.Event.Kind = kind;
        return result;
    }
}
