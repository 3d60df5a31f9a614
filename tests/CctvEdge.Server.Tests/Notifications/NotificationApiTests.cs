using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>Channels and rules over the REST API: bad input is a 400 naming the field and changes nothing; viewers are refused.</summary>
public sealed class NotificationApiTests : IAsyncLifetime
{
    private InProcessServer _server = null!;
    private long _channel;

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync();
        using var created = await _server.Http.PostAsJsonAsync("/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = "http://127.0.0.1:9/hook" } });
        _channel = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("""{"name": "Sms", "kind": "sms", "settings": {}}""", "kind")]
    [InlineData("""{"name": "", "kind": "webhook", "settings": {"url": "http://127.0.0.1/x"}}""", "name")]
    [InlineData("""{"name": "No url", "kind": "webhook", "settings": {}}""", "settings.url")]
    [InlineData("""{"name": "Ftp", "kind": "webhook", "settings": {"url": "ftp://example.org/x"}}""", "settings.url")]
    [InlineData("""{"name": "Short", "kind": "webhook", "settings": {"url": "http://127.0.0.1/x", "secret": "short"}}""", "settings.secret")]
    [InlineData("""{"name": "Extra", "kind": "webhook", "settings": {"url": "http://127.0.0.1/x", "colour": "red"}}""", "settings.colour")]
    [InlineData("""{"name": "Bot", "kind": "telegram", "settings": {"botToken": "not a token", "chatId": "1"}}""", "settings.botToken")]
    [InlineData("""{"name": "Bot", "kind": "telegram", "settings": {"botToken": "123:ABCdefGHIjklMNOpqrSTUvwx"}}""", "settings.chatId")]
    [InlineData("""{"name": "Mail", "kind": "email", "settings": {"host": "smtp.example.com", "from": "cctv@example.com", "to": "farm@example.com, not an address"}}""", "settings.to")]
    [InlineData("""{"name": "Mail", "kind": "email", "settings": {"host": "smtp.example.com", "from": "cctv@example.com"}}""", "settings.to")]
    [InlineData("""{"name": "Mail", "kind": "email", "settings": {"host": "smtp example", "from": "cctv@example.com", "to": "farm@example.com"}}""", "settings.host")]
    [InlineData("""{"name": "Mail", "kind": "email", "settings": {"host": "smtp.example.com", "port": 70000, "from": "cctv@example.com", "to": "farm@example.com"}}""", "settings.port")]
    [InlineData("""{"name": "Mail", "kind": "email", "settings": {"host": "smtp.example.com", "security": "ssl3", "from": "cctv@example.com", "to": "farm@example.com"}}""", "settings.security")]
    [InlineData("""{"name": "Mail", "kind": "email", "settings": {"host": "smtp.example.com", "from": "a@example.com, b@example.com", "to": "farm@example.com"}}""", "settings.from")]
    [InlineData("""{"name": "Mail", "kind": "email", "settings": {"host": "smtp.example.com", "from": "cctv@example.com", "to": "farm@example.com", "certificateSha256": "abc"}}""", "settings.certificateSha256")]
    [InlineData("""{"name": "Mail", "kind": "email", "settings": {"host": "smtp.example.com", "from": "cctv@example.com", "to": "farm@example.com", "dailyReportAt": "25:00"}}""", "settings.dailyReportAt")]
    [InlineData("""{"name": "Slow", "kind": "webhook", "settings": {"url": "http://127.0.0.1/x", "minIntervalSeconds": "soon"}}""", "settings.minIntervalSeconds")]
    [InlineData("""[1, 2]""", "body")]
    public async Task PostChannel_BadInput_400NamingTheField(string json, string field) =>
        await AssertRefusedAsync("/api/notification-channels", json, field);

    [Theory]
    [InlineData("""{"name": "R", "channels": [], "cooldownSeconds": 1}""", "channels")]
    [InlineData("""{"name": "R", "channels": [99]}""", "channels")]
    [InlineData("""{"name": "R", "channels": ["one"]}""", "channels")]
    [InlineData("""{"name": "R", "channels": [CHANNEL], "cooldownSeconds": "abc"}""", "cooldownSeconds")]
    [InlineData("""{"name": "R", "channels": [CHANNEL], "cooldownSeconds": -1}""", "cooldownSeconds")]
    [InlineData("""{"name": "R", "channels": [CHANNEL], "cameras": ["../etc.passwd"]}""", "cameras")]
    [InlineData("""{"name": "R", "channels": [CHANNEL], "kinds": "motion"}""", "kinds")]
    [InlineData("""{"name": "R", "channels": [CHANNEL], "schedule": {"from": "25:00", "to": "06:00"}}""", "schedule.from")]
    [InlineData("""{"name": "R", "channels": [CHANNEL], "schedule": {"days": ["someday"]}}""", "schedule.days")]
    [InlineData("""{"name": "R", "channels": [CHANNEL], "quietHours": {"from": "22:00", "to": "6"}}""", "quietHours.to")]
    [InlineData("""{"name": "R", "channels": [CHANNEL], "dayOverDay": {"percent": 0}}""", "dayOverDay.percent")]
    [InlineData("""{"name": "R", "channels": [CHANNEL], "enabled": "yes"}""", "enabled")]
    [InlineData("""{"channels": [CHANNEL]}""", "name")]
    public async Task PostRule_BadInput_400NamingTheField(string json, string field) =>
        await AssertRefusedAsync("/api/notification-rules", json.Replace("CHANNEL", _channel.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), field);

    [Fact]
    public async Task Rules_SaveChangeDuplicateDelete_AndViewersRefused()
    {
        using var created = await _server.Http.PostAsJsonAsync("/api/notification-rules", new { name = "Night", kinds = new[] { "motion" }, channels = new[] { _channel }, cooldownSeconds = 60, schedule = new { days = new[] { "sat", "sun" }, from = "22:00", to = "06:00" } });
        var rule = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = rule.GetProperty("id").GetInt64();
        using var duplicate = await _server.Http.PostAsJsonAsync("/api/notification-rules", new { name = "NIGHT", channels = new[] { _channel } });
        using var changed = await _server.Http.PutAsJsonAsync($"/api/notification-rules/{id}", new { name = "Night", channels = new[] { _channel }, enabled = false });
        using var unknown = await _server.Http.PutAsJsonAsync("/api/notification-rules/999", new { name = "Other", channels = new[] { _channel } });
        using var viewer = await _server.ViewerClientAsync();
        using var byViewer = await viewer.GetAsync("/api/notification-rules");
        var listed = Assert.Single((await _server.Http.GetFromJsonAsync<JsonElement[]>("/api/notification-rules"))!);
        using var deleted = await _server.Http.DeleteAsync($"/api/notification-rules/{id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(["sat", "sun"], rule.GetProperty("schedule").GetProperty("days").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(60, rule.GetProperty("cooldownSeconds").GetInt32());
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Forbidden, HttpStatusCode.NoContent),
            (duplicate.StatusCode, changed.StatusCode, unknown.StatusCode, byViewer.StatusCode, deleted.StatusCode));
        Assert.False(listed.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("schedule").ValueKind);
    }

    [Fact]
    public async Task PutChannel_SecretLeftOut_KeptAndStillNotShown()
    {
        using var created = await _server.Http.PostAsJsonAsync("/api/notification-channels", new { name = "Signed", kind = "webhook", settings = new { url = "http://127.0.0.1:9/a", secret = "0123456789abcdef-secret" } });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var renamed = await _server.Http.PutAsJsonAsync($"/api/notification-channels/{id}", new { name = "Signed hook", kind = "webhook", settings = new { url = "http://127.0.0.1:9/b" } });
        var body = await renamed.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var channel = JsonDocument.Parse(body).RootElement;
        Assert.Equal("http://127.0.0.1:9/b", channel.GetProperty("settings").GetProperty("url").GetString());
        Assert.Equal(["secret"], channel.GetProperty("secretsSet").EnumerateArray().Select(s => s.GetString()));
        Assert.DoesNotContain("0123456789abcdef-secret", body, StringComparison.Ordinal);
    }

    private async Task AssertRefusedAsync(string path, string json, string field)
    {
        var before = await _server.Http.GetStringAsync(path);
        using var response = await _server.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(problem).RootElement.GetProperty("errors").TryGetProperty(field, out _), problem);
        Assert.Equal(before, await _server.Http.GetStringAsync(path));
    }
}
