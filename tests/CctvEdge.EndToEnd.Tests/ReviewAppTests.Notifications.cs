using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Testing;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>The channels and rules page on a desktop and a phone: add, test, refuse bad input, describe, delete; an e-mail channel sends a test and a report; special rules and quiet hours.</summary>
public sealed partial class ReviewAppTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NotificationSettings_DesktopAndPhone_AddTestRuleRefuseDelete(bool phone)
    {
        using var receiver = new HookListener();
        var name = phone ? "Phone hook" : "Desk hook";
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "notifications", phone);
        await Browser.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=notification-settings]").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/notifications/settings", StringComparison.Ordinal));
        await Browser.WaitInteractiveAsync(page);

        await page.Locator("[data-testid=channel-add]").ClickAsync();
        await page.Locator("[data-testid=channel-kind]").GetByText("webhook").ClickAsync();
        await page.Locator("[data-testid=channel-name]").FillAsync(name);
        await page.Locator("[data-testid=channel-url]").FillAsync(receiver.Url);
        await page.Locator("[data-testid=channel-secret]").FillAsync("a-secret-of-sixteen-chars");
        await Browser.ScreenshotAsync(page, $"notification-channel-editor-{(phone ? "phone" : "desktop")}");
        await page.Locator("[data-testid=channel-save]").ClickAsync();
        var card = page.Locator($"[data-testid=channel][data-channel='{name}']");
        await Assertions.Expect(card).ToContainTextAsync("secret stored");
        await Assertions.Expect(card).Not.ToContainTextAsync("a-secret-of-sixteen-chars");

        await card.Locator("[data-testid=channel-test]").ClickAsync();
        await Assertions.Expect(card.Locator("[data-testid=channel-test-result]")).ToHaveTextAsync("Test message sent.");
        var hook = await Eventually.GetAsync(() => Task.FromResult(receiver.Hooks.TryPeek(out var h) ? h : null), Long, "the test webhook");
        Assert.Equal("test", hook.Json.GetProperty("type").GetString());

        // A bad address is refused with the field's reason and nothing changes.
        await card.Locator("[data-testid=channel-edit]").ClickAsync();
        await page.Locator("[data-testid=channel-url]").FillAsync("ftp://example.org/hook");
        await page.Locator("[data-testid=channel-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=channel-problem]")).ToContainTextAsync("settings.url must be an http:// or https:// address");
        await page.Locator("[data-testid=channel-cancel]").ClickAsync();
        await Assertions.Expect(card).ToContainTextAsync(receiver.Url);

        await page.Locator("[data-testid=rule-add]").ClickAsync();
        await page.Locator("[data-testid=rule-name]").FillAsync(name + " rule");
        await page.Locator($"[data-testid=rule-channel][data-channel='{name}']").CheckAsync();
        await page.Locator("[data-testid=rule-camera][data-camera='e2e-node.yard']").CheckAsync();
        await page.Locator("[data-testid=rule-scheduled]").CheckAsync();
        await page.Locator("[data-testid=rule-day][data-day='sat']").CheckAsync();
        await Browser.ScreenshotAsync(page, $"notification-rule-editor-{(phone ? "phone" : "desktop")}");
        await page.Locator("[data-testid=rule-save]").ClickAsync();
        var rule = page.Locator($"[data-testid=rule][data-rule='{name} rule']");
        await Assertions.Expect(rule.Locator("[data-testid=rule-summary]")).ToHaveTextAsync($"motion · e2e-node.yard · sat 22:00–06:00 · to {name} · at most once per 60 s per camera");
        Assert.False(await Browser.OverflowsSidewaysAsync(page), "the channels and rules page scrolls sideways");
        await Browser.ScreenshotAsync(page, $"page-notification-settings-{(phone ? "phone" : "desktop")}");

        // Labels and minimums: typed in, saved, described, and shown again when the rule is edited.
        await rule.Locator("[data-testid=rule-edit]").ClickAsync();
        await page.Locator("[data-testid=rule-labels]").FillAsync("person, car");
        foreach (var (field, value) in new[] { ("rule-min-peak", "5"), ("rule-min-duration", "30") })
        {
            var number = page.Locator($"[data-testid={field}] input, input[data-testid={field}]").First;
            await number.FillAsync(value);
            await number.PressAsync("Tab");
        }

        await page.Locator("[data-testid=rule-save]").ClickAsync();
        await Assertions.Expect(rule.Locator("[data-testid=rule-summary]")).ToHaveTextAsync($"motion · e2e-node.yard · labels person, car · sat 22:00–06:00 · peak ≥ 5 · lasting ≥ 30 s · to {name} · at most once per 60 s per camera");
        await rule.Locator("[data-testid=rule-edit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=rule-labels]")).ToHaveValueAsync("person, car");
        await page.Locator("[data-testid=rule-cancel]").ClickAsync();

        await rule.Locator("[data-testid=rule-delete]").ClickAsync();
        await card.Locator("[data-testid=channel-delete]").ClickAsync();
        await Assertions.Expect(rule).ToHaveCountAsync(0);
        await Assertions.Expect(card).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NotificationSettings_EmailChannel_DesktopAndPhone_TestAndReportReachTheMailServer_SpecialRules(bool phone)
    {
        await using var smtp = FakeSmtp.Start();
        var name = phone ? "Phone mail" : "Desk mail";
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "notifications/settings", phone);
        await Browser.WaitInteractiveAsync(page);

        await page.Locator("[data-testid=channel-add]").ClickAsync();
        await page.Locator("[data-testid=channel-kind]").GetByText("email").ClickAsync();
        await page.Locator("[data-testid=channel-name]").FillAsync(name);
        await page.Locator("[data-testid=channel-host]").FillAsync("127.0.0.1");
        await page.Locator("[data-testid=channel-port]").FillAsync(smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("[data-testid=channel-username]").FillAsync(FakeSmtp.User);
        await page.Locator("[data-testid=channel-password]").FillAsync(FakeSmtp.Password);
        await page.Locator("[data-testid=channel-from]").FillAsync("cctv@example.com");
        await page.Locator("[data-testid=channel-to]").FillAsync("farm@example.com");
        await page.Locator("[data-testid=channel-certificateSha256]").FillAsync(smtp.CertificateSha256);
        await page.Locator("[data-testid=channel-dailyReportAt]").FillAsync("7:00");
        await page.Locator("[data-testid=channel-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=channel-problem]")).ToContainTextAsync("settings.dailyReportAt must be a time of day, HH:mm");
        // A time still ahead today (the server's zone is this machine's): a new channel whose report time has passed
        // sends yesterday's report by itself, a third mail beside the two the buttons send.
        var ahead = DateTime.Now.AddMinutes(30);
        await page.Locator("[data-testid=channel-dailyReportAt]").FillAsync(ahead.Date == DateTime.Today ? ahead.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "23:59");
        await page.Locator("[data-testid=channel-save]").ClickAsync();
        var card = page.Locator($"[data-testid=channel][data-channel='{name}']");
        await Assertions.Expect(card).ToContainTextAsync("password stored");
        await Assertions.Expect(card).Not.ToContainTextAsync(FakeSmtp.Password);

        await card.Locator("[data-testid=channel-test]").ClickAsync();
        await Assertions.Expect(card.Locator("[data-testid=channel-test-result]")).ToHaveTextAsync("Test message sent.");
        await card.Locator("[data-testid=channel-report]").ClickAsync();
        await Assertions.Expect(card.Locator("[data-testid=channel-test-result]")).ToHaveTextAsync("Yesterday's report sent.");
        // Taken now: the rules below send the demo camera's real motion to this channel too.
        var mails = smtp.Received.ToList();

        // Two special rules for it: unusual peaks only, and a day-over-day trend.
        async Task AddSpecialRuleAsync(string rule, string option, string value, string summary)
        {
            await page.Locator("[data-testid=rule-add]").ClickAsync();
            await page.Locator("[data-testid=rule-name]").FillAsync(name + rule);
            await page.Locator($"[data-testid=rule-channel][data-channel='{name}']").CheckAsync();
            await page.Locator($"[data-testid={option}]").CheckAsync();
            var number = page.Locator($"[data-testid={option}-value] input, input[data-testid={option}-value]").First;
            await number.FillAsync(value);
            await number.PressAsync("Tab");
            await page.Locator("[data-testid=rule-save]").ClickAsync();
            await Assertions.Expect(page.Locator($"[data-testid=rule][data-rule='{name}{rule}'] [data-testid=rule-summary]")).ToContainTextAsync(summary);
        }

        await AddSpecialRuleAsync(" unusual", "rule-adaptive", "2", "unusual only (peak above mean + 2σ of 24 h)");
        await AddSpecialRuleAsync(" trend", "rule-day-over-day", "40", "day over day: more than 40 % more motion than yesterday, once a day");
        await page.Locator($"[data-testid=rule][data-rule='{name} unusual'] [data-testid=rule-edit]").ClickAsync();
        await page.Locator("[data-testid=rule-quiet]").CheckAsync();
        await page.Locator("[data-testid=rule-quiet-from]").FillAsync("21:00");
        await page.Locator("[data-testid=rule-quiet-to]").FillAsync("07:30");
        await page.Locator("[data-testid=rule-save]").ClickAsync();
        await Assertions.Expect(page.Locator($"[data-testid=rule][data-rule='{name} unusual'] [data-testid=rule-summary]")).ToContainTextAsync("quiet 21:00–07:30");
        Assert.False(await Browser.OverflowsSidewaysAsync(page), "the channels page scrolls sideways with an e-mail channel");
        await Browser.ScreenshotAsync(page, $"notification-email-channel-{(phone ? "phone" : "desktop")}");

        Assert.Equal(2, mails.Count);
        Assert.Equal("CctvEdge test message", mails[0].Message.Subject);
        Assert.StartsWith("CctvEdge daily report ", mails[1].Message.Subject, StringComparison.Ordinal);
        Assert.All(smtp.Received, m => Assert.Equal(FakeSmtp.User, m.User));
        foreach (var rule in new[] { " unusual", " trend" })
        {
            await page.Locator($"[data-testid=rule][data-rule='{name}{rule}'] [data-testid=rule-delete]").ClickAsync();
            await Assertions.Expect(page.Locator($"[data-testid=rule][data-rule='{name}{rule}']")).ToHaveCountAsync(0);
        }

        await card.Locator("[data-testid=channel-delete]").ClickAsync();
        await Assertions.Expect(card).ToHaveCountAsync(0);
    }
}
