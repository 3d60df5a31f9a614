using System.Text;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Notifications.Rules;
using CctvEdge.Testing;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>Rules on detection labels, read from the event payload's <c>labels</c> by the documented convention.</summary>
public sealed class RuleLabelTests
{
    [Theory]
    [InlineData("""{"labels": [{"label": "person", "score": 0.9, "box": [1, 2, 3, 4]}, {"label": "car", "score": 0.6}]}""", "person,car")]
    [InlineData("""{"labels": [{"label": "person"}, {"label": "Person"}, {"label": ""}, {"score": 0.5}, {"label": 3}]}""", "person")]
    [InlineData("""{"labels": ["person", "car"]}""", "")]      // not the convention: entries are objects
    [InlineData("""{"labels": {"label": "person"}}""", "")]
    [InlineData("""{"motionFrames": 3}""", "")]
    [InlineData("""[{"labels": [{"label": "person"}]}]""", "")]
    [InlineData("""{"labels": [{"label": "person"}""", "")]      // not JSON
    [InlineData("", "")]
    public void Read_PayloadConvention(string payload, string expected)
    {
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), EventLabels.Read(payload));
    }

    [Fact]
    public async Task Labels_EventSentWhenItsPayloadNamesAny_IgnoringCase_OthersAndUnlabelledNot()
    {
        using var rules = await RuleFixture.CreateAsync();
        await rules.RuleAsync(new NotificationRule { Name = "People and dogs", Labels = ["person", "dog"] });
        var start = rules.Clock.GetUtcNow().AddMinutes(-1);

        var person = await rules.EventAsync("person", start, start.AddSeconds(5), 1, """{"labels": [{"label": "car", "score": 0.8}, {"label": "Person", "score": 0.7}]}""", kind: "detection");
        await rules.EventAsync("car", start, start.AddSeconds(5), 1, """{"labels": [{"label": "car", "score": 0.8}]}""", kind: "detection");
        await rules.EventAsync("motion", start, start.AddSeconds(5), 1, """{"motionFrames": 3}""");
        var dog = await rules.EventAsync("dog", start, start.AddSeconds(5), 1, """{"labels": [{"label": "dog"}]}""", kind: "detection");
        await rules.PassAsync();

        Assert.Equal([person, dog], await rules.QueuedAsync());
    }

    [Fact]
    public async Task Labels_OpenEvent_LabelSeenLaterSendsIt_OnceEvenAfterMoreUpdates()
    {
        using var rules = await RuleFixture.CreateAsync();
        await rules.RuleAsync(new NotificationRule { Name = "People", Labels = ["person"] });
        var start = rules.Clock.GetUtcNow().AddSeconds(-20);
        var id = await rules.EventAsync("d", start, null, 1, """{"labels": [{"label": "car"}]}""", kind: "detection");
        await rules.EventAsync("closed", start, start.AddSeconds(5), 1, """{"labels": [{"label": "car"}]}""", kind: "detection");
        await rules.PassAsync();
        Assert.Equal(1, await rules.WaitingAsync());

        await rules.EventAsync("d", start, null, 1, """{"labels": [{"label": "car"}, {"label": "person"}]}""", kind: "detection");
        await rules.PassAsync();
        await rules.EventAsync("d", start, start.AddSeconds(30), 1, """{"labels": [{"label": "person"}]}""", kind: "detection");
        await rules.PassAsync();

        Assert.Equal([id], await rules.QueuedAsync());
        Assert.Equal(0, await rules.WaitingAsync());
    }

    [Fact]
    public async Task EndToEnd_DetectionFromANode_OnlyThePersonSent_WebhookCarriesItsLabels()
    {
        await using var server = await InProcessServer.StartAsync("--Notifications:RetryBaseSeconds", "0.2", "--Notifications:IntervalSeconds", "0.2");
        using var receiver = new HookListener();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = receiver.Url } });
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "People", kinds = new[] { "detection" }, labels = new[] { "person" }, channels = new[] { channel } });
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        var start = DateTimeOffset.UtcNow.AddSeconds(-10);

        await node.SendBatchAsync(
            Detection(1, "car", start, """{"labels": [{"label": "car", "score": 0.8, "box": [0.1, 0.2, 0.3, 0.2]}]}"""),
            Detection(2, "person", start.AddSeconds(1), """{"labels": [{"label": "person", "score": 0.91, "box": [0.5, 0.1, 0.1, 0.4]}, {"label": "dog", "score": 0.6}]}"""));
        await Eventually.TrueAsync(() => !receiver.Hooks.IsEmpty, TimeSpan.FromSeconds(30), "the person's event");
        await Task.Delay(TimeSpan.FromSeconds(1));

        var hook = Assert.Single(receiver.Hooks).Json;
        Assert.Equal(["person", "dog"], hook.GetProperty("event").GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Contains(" · person, dog", hook.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"labels\": \"person\"")]
    [InlineData("\"labels\": [\"\"]")]
    [InlineData("\"labels\": [3]")]
    public async Task Labels_BadValues_400NamingTheField(string field)
    {
        await using var server = await InProcessServer.StartAsync();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = "http://127.0.0.1:9/hook" } });

        using var response = await server.Http.PostAsync("/api/notification-rules", new StringContent($$"""{"name": "R", "channels": [{{channel}}], {{field}}}""", Encoding.UTF8, "application/json"));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("labels", out _), problem.GetRawText());
    }

    private static Result Detection(ulong sequence, string eventId, DateTimeOffset start, string payload)
    {
        var result = NodeSessionClient.Event(sequence, eventId, start, start.AddSeconds(3));
        result.PluginId = "detection";
        result.Event.Kind = "detection";
        result.Event.PayloadJson = payload;
        return result;
    }
}
