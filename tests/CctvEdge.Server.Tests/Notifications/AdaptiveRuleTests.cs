using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Server.Notifications.Rules;
using CctvEdge.Testing;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>Adaptive rules: only peaks above the camera's 24 h mean + k·σ, after a learning period.</summary>
public sealed class AdaptiveRuleTests
{
    [Theory]
    [InlineData(5, 2.0, 2.1, 0.01, true)]     // learning: too few earlier events to tell
    [InlineData(20, 2.0, 2.1, 0.01, false)]   // σ 0.1: 2.1 is within mean + 3σ
    [InlineData(20, 2.0, 2.31, 0.01, true)]   // above 2.3
    [InlineData(20, 2.0, 2.0, 0, false)]      // σ 0: only a higher peak is unusual
    public void IsUnusual_MeanPlusKSigma(long count, double mean, double peak, double variance, bool unusual)
    {
        var e = new RuleEvent(1, "barn", "yard", "motion", DateTimeOffset.UtcNow, [], peak);

        Assert.Equal(unusual, new RuleAdaptive { K = 3, MinSamples = 20 }.IsUnusual(e, count, mean, variance + (mean * mean)));
    }

    [Fact]
    public async Task Adaptive_LearnsThenSendsOnlyTheUnusualPeak()
    {
        await using var server = await InProcessServer.StartAsync("--Notifications:RetryBaseSeconds", "0.2", "--Notifications:IntervalSeconds", "0.2");
        using var receiver = new HookListener();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = receiver.Url } });
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "Unusual", kinds = new[] { "motion" }, channels = new[] { channel }, adaptive = new { k = 2, minSamples = 5 } });
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        double[] peaks = [2.0, 2.2, 1.8, 2.1, 1.9, 2.0, 2.05, 9.0, 2.1];
        var start = DateTimeOffset.UtcNow.AddHours(-2);

        await node.SendBatchAsync(peaks.Select((p, i) => NodeSessionClient.Event((ulong)i + 1, $"yard-{i}", start.AddMinutes(i), peak: p)).ToArray());
        await Eventually.TrueAsync(() => receiver.Hooks.Count >= 6, TimeSpan.FromSeconds(30), "the learning events and the unusual one");
        await Task.Delay(TimeSpan.FromSeconds(2));

        // The first five teach the rule; 2.0 and 2.05 are usual, 9.0 is not, and 2.1 after it is usual again.
        Assert.Equal([2.0, 2.2, 1.8, 2.1, 1.9, 9.0], receiver.Hooks.Select(h => h.Json.GetProperty("event").GetProperty("peak").GetDouble()));
    }

    [Fact]
    public async Task Adaptive_BadValues_400NamingTheField()
    {
        await using var server = await InProcessServer.StartAsync();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = "http://127.0.0.1:9/hook" } });

        using var response = await server.Http.PostAsync("/api/notification-rules", new StringContent(
            $$$"""{"name": "R", "channels": [{{{channel}}}], "adaptive": {"k": -1, "minSamples": 1}}""", System.Text.Encoding.UTF8, "application/json"));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("adaptive.k", out _), problem.GetRawText());
        Assert.True(problem.GetProperty("errors").TryGetProperty("adaptive.minSamples", out _), problem.GetRawText());
    }
}
