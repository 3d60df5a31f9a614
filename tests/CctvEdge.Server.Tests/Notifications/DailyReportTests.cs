using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Server.Notifications.Reports;
using CctvEdge.Testing;
using CctvEdge.Web.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>The daily report e-mail: yesterday's events, readings and offline nodes, sent once a day per channel.</summary>
public sealed class DailyReportTests
{
    [Fact]
    public async Task DailyReport_DueOnce_CountsYesterdayOnly_AndNamesOfflineNodes()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var smtp = FakeSmtp.Start();
        var yesterday = LocalDay.Today(TimeProvider.System).AddDays(-1);
        var noon = LocalDay.Bounds(yesterday).Start.AddHours(12);
        var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard", "gate"));
        await node.SendBatchAsync(
            NodeSessionClient.Event(1, "yard-1", noon),
            NodeSessionClient.Event(2, "yard-2", noon.AddHours(1)),
            NodeSessionClient.Event(3, "gate-1", noon.AddHours(2), camera: "gate"),
            NodeSessionClient.Event(4, "yard-today", DateTimeOffset.UtcNow),
            NodeSessionClient.Measurement(5, 3.5, at: noon),
            NodeSessionClient.Measurement(6, 7.25, at: noon.AddMinutes(1)),
            NodeSessionClient.Measurement(7, 99, at: DateTimeOffset.UtcNow));
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", new
        {
            name = "Morning report",
            kind = "email",
            settings = new { host = "127.0.0.1", port = smtp.Port, username = FakeSmtp.User, password = FakeSmtp.Password, from = "cctv@example.com", to = "farm@example.com", certificateSha256 = smtp.CertificateSha256, dailyReportAt = "00:00" },
        });
        var reports = server.Services.GetRequiredService<DailyReportService>();

        // "00:00" has passed today whatever the time: yesterday's report is due, and only once (the timer's pass may race this one).
        await reports.RunOnceAsync(CancellationToken.None);
        await reports.RunOnceAsync(CancellationToken.None);
        var daily = Assert.Single(smtp.Received).Message;
        node.Dispose();
        await Eventually.TrueAsync(
            async () => !(await server.Http.GetFromJsonAsync<JsonElement[]>("/api/nodes"))!.Any(n => n.GetProperty("online").GetBoolean()),
            TimeSpan.FromSeconds(30),
            "the node to be offline");
        using var now = await server.Http.PostAsync($"/api/notification-channels/{channel}/report", null);
        var answer = await now.Content.ReadFromJsonAsync<JsonElement>();
        var again = smtp.Received.Last().Message;

        Assert.Equal($"CctvEdge daily report {yesterday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: 3 events, 0 KB of clips, 0 nodes offline", daily.Subject);
        Assert.Contains("YARD (Barn) · 2 motion · 2.5", daily.TextBody, StringComparison.Ordinal);
        Assert.Contains("GATE (Barn) · 1 motion", daily.TextBody, StringComparison.Ordinal);
        Assert.Contains("motion.magnitude · YARD (Barn) · 3.5 % · 7.25 % · 5.38 % · 2", daily.TextBody, StringComparison.Ordinal);
        Assert.Contains("Every node is online.", daily.TextBody, StringComparison.Ordinal);
        Assert.Contains("<td style=\"padding:2px 8px\">YARD (Barn)</td>", daily.HtmlBody, StringComparison.Ordinal);
        Assert.True(answer.GetProperty("sent").GetBoolean(), answer.GetRawText());
        Assert.Equal(2, smtp.Received.Count);
        Assert.Contains("1 nodes offline", again.Subject, StringComparison.Ordinal);
        Assert.Contains("Offline nodes\n  Barn · ", again.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DailyReport_NewChannelBeforeItsTime_SendsNothingYet()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var smtp = FakeSmtp.Start();
        await NotificationApi.CreateAsync(server, "/api/notification-channels", new
        {
            name = "Evening report",
            kind = "email",
            settings = new { host = "127.0.0.1", port = smtp.Port, username = FakeSmtp.User, password = FakeSmtp.Password, from = "cctv@example.com", to = "farm@example.com", certificateSha256 = smtp.CertificateSha256, dailyReportAt = "23:59" },
        });
        // Only in the last minute of the day has 23:59 passed; before it, the report due is the day before yesterday's.
        var due = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.Local).DateTime) >= new TimeOnly(23, 59) ? 1 : 0;

        await server.Services.GetRequiredService<DailyReportService>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(due, smtp.Received.Count);
    }

    [Fact]
    public async Task ReportNow_NotAnEmailChannel_SaysSo()
    {
        await using var server = await InProcessServer.StartAsync();
        var hook = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Hook", kind = "webhook", settings = new { url = "http://127.0.0.1:9/hook" } });

        using var response = await server.Http.PostAsync($"/api/notification-channels/{hook}/report", null);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.False(answer.GetProperty("sent").GetBoolean());
        Assert.Contains("daily reports go by e-mail", answer.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
