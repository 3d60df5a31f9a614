using System.Net;
using System.Text.RegularExpressions;
using CctvEdge.Harness;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>The fleet page (enrolment codes, audit log) and the API tokens page, on a desktop and on a phone.</summary>
public sealed partial class ReviewAppTests
{
    [Fact]
    public async Task FleetPage_CodeIssuedInTheBrowser_EnrolsARealNode_ThenRevokedAndAudited()
    {
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "fleet");
        await Browser.WaitInteractiveAsync(page);

        // The running demo node's health, then it is put in a site and listed under it.
        var card = page.Locator("[data-testid=fleet-node][data-node-id=e2e-node]");
        await Assertions.Expect(card).ToHaveAttributeAsync("data-online", "true");
        await Assertions.Expect(card.Locator("[data-testid=fleet-plugins]")).ToContainTextAsync("motion ");
        await Assertions.Expect(card.Locator("[data-testid=fleet-clock]")).ToHaveTextAsync("clock in step");
        await Assertions.Expect(card.Locator("[data-testid=fleet-config]")).ToContainTextAsync("configuration version 1");
        await card.Locator("[data-testid=fleet-site] input, input[data-testid=fleet-site]").First.FillAsync("Yard field");
        await card.Locator("[data-testid=fleet-site-set]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=fleet-site-name]").First).ToHaveTextAsync("Yard field");

        await page.Locator("[data-testid=code-node] input, input[data-testid=code-node]").First.FillAsync("field-pi");
        await page.Locator("[data-testid=code-comment] input, input[data-testid=code-comment]").First.FillAsync("barn Pi");
        await page.ClickAsync("[data-testid=code-issue]");
        var code = (await page.Locator("[data-testid=code-value]").InnerTextAsync()).Trim();
        var command = await page.Locator("[data-testid=code-command]").InnerTextAsync();
        Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$", code);
        var server = Regex.Match(command, "--server (\\S+) --code").Groups[1].Value;
        Assert.Equal(fixture.Network.Server.GrpcAddress.ToString().TrimEnd('/'), server);

        // The command as the page shows it, run by the real agent; the same code a second time is refused.
        using var data = new TempDirectory("cctvedge-enrol");
        string[] identity = ["--Node:Id", "field-pi", "--Node:DataDirectory", data.Path, "--Server:ReconnectMaxSeconds", "2"];
        Assert.Equal(0, await RunNodeAsync(["enrol", "--server", server, "--code", code, .. identity], data.Path));
        Assert.True(File.Exists(Path.Combine(data.Path, "enrolment.json")));
        using var other = new TempDirectory("cctvedge-enrol");
        Assert.Equal(1, await RunNodeAsync(["enrol", "--server", server, "--code", code, "--Node:Id", "field-pi-2", "--Node:DataDirectory", other.Path], other.Path, "used already"));

        // The enrolled agent connects with its credential alone (the server address comes from the enrolment too).
        await using var agent = ChildProcess.StartDotnet("field-pi", RepositoryPaths.NodeDll, identity, data.Path);
        await agent.WaitForLineAsync("Connected to " + Regex.Escape(server), TimeSpan.FromSeconds(60));
        await page.ReloadAsync();
        await Browser.WaitInteractiveAsync(page);
        var row = page.Locator("[data-testid=code][data-state=used]").Filter(new() { HasText = "field-pi" });
        await Assertions.Expect(row.Locator("[data-testid=code-used-by]")).ToContainTextAsync("field-pi");
        await row.Locator("[data-testid=node-revoke]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=fleet-done]")).ToContainTextAsync("field-pi's credential is revoked");
        // The running agent is cut off at once and refused when it tries again.
        await agent.WaitForLineAsync("refused this node \\(Unauthenticated: Node 'field-pi' had its credential revoked", TimeSpan.FromSeconds(60));

        var audit = page.Locator("[data-testid=audit-entry]");
        await Assertions.Expect(audit.Filter(new() { HasText = "revoke node credential" }).First).ToContainTextAsync("node field-pi");
        await Assertions.Expect(audit.Filter(new() { HasText = "issue enrolment code" }).First.Locator("[data-testid=audit-via]")).ToHaveTextAsync("web");
        await Browser.ScreenshotAsync(page, "fleet");

        // The overview filters by site: the node set in "Yard field" above shows there, and not under another site.
        await page.GotoAsync(new Uri(fixture.Web, "?site=Yard%20field").ToString());
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=node][data-node-id=e2e-node]")).ToBeVisibleAsync();
        await page.GotoAsync(new Uri(fixture.Web, "?site=Elsewhere").ToString());
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=site-picker]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=node][data-node-id=e2e-node]")).ToHaveCountAsync(0);

        // So do the events and storage pages: the node's timeline and clips under its site, none under another.
        foreach (var (path, item) in new[] { ("events", "[data-testid=timeline-row][data-camera^='e2e-node']"), ("storage", "[data-testid=camera-heatmap-row][data-camera^='e2e-node']") })
        {
            await page.GotoAsync(new Uri(fixture.Web, path + "?site=Yard%20field").ToString());
            await Browser.WaitInteractiveAsync(page);
            await Assertions.Expect(page.Locator(item).First).ToBeVisibleAsync();
            await page.GotoAsync(new Uri(fixture.Web, path + "?site=Elsewhere").ToString());
            await Browser.WaitInteractiveAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=site-picker]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(item)).ToHaveCountAsync(0);
        }

        await Assertions.Expect(page.Locator("[data-testid=disk-name]")).ToHaveCountAsync(0);

        // And the notifications page (every notification, acknowledged or not): the node's under its site, none under another.
        await page.GotoAsync(new Uri(fixture.Web, "notifications?show=all&site=Yard%20field").ToString());
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=notification]").First).ToBeVisibleAsync();
        await page.GotoAsync(new Uri(fixture.Web, "notifications?show=all&site=Elsewhere").ToString());
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=site-picker]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=notification]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=notifications-new]")).ToHaveTextAsync("0 new");
    }

    [Fact]
    public async Task FleetPage_PackageUploadedAndRolledOut_TheNodeInstallsIt()
    {
        // A plugin no camera uses (a copy of motion under another id), so the other tests' node keeps its plugins.
        using var work = new TempDirectory("cctvedge-package");
        var folder = Path.Combine(work.Path, "page-sample");
        DemoNetwork.CopyDirectory(Path.Combine(RepositoryPaths.NodePluginsDirectory, "motion"), folder);
        var manifest = Path.Combine(folder, "plugin.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(manifest))!;
        json["id"] = "page-sample";
        json["version"] = "1.0.0-page";
        await File.WriteAllTextAsync(manifest, json.ToJsonString());
        var zip = Path.Combine(work.Path, "page-sample.zip");
        System.IO.Compression.ZipFile.CreateFromDirectory(folder, zip);

        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "fleet");
        await Browser.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=package-file]").SetInputFilesAsync(zip);
        await Assertions.Expect(page.Locator("[data-testid=fleet-done]")).ToContainTextAsync("page-sample 1.0.0-page is uploaded");
        var package = page.Locator("[data-testid=package]").Filter(new() { HasText = "page-sample 1.0.0-page" });
        await package.Locator("[data-testid=package-node][data-node-id=e2e-node]").ClickAsync();
        await package.Locator("[data-testid=package-rollout]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=fleet-done]")).ToContainTextAsync("is rolling out to e2e-node");

        await CctvEdge.Testing.Eventually.TrueAsync(
            async () => (await fixture.Network.Http.GetStringAsync("api/nodes/e2e-node/plugins")).Contains("1.0.0-page", StringComparison.Ordinal),
            TimeSpan.FromSeconds(90),
            "the node to report the rolled-out plugin");
        await page.ReloadAsync();
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=rollout][data-node-id=e2e-node]").Filter(new() { HasText = "page-sample" }).First).ToHaveAttributeAsync("data-state", "installed");
        await Assertions.Expect(page.Locator("[data-testid=fleet-node][data-node-id=e2e-node] [data-testid=fleet-plugins]")).ToContainTextAsync("page-sample 1.0.0-page");
    }

    /// <summary>Runs <c>cctvedge-node</c> to its end; its exit code, after checking its output says <paramref name="expected"/>.</summary>
    private static async Task<int> RunNodeAsync(string[] arguments, string workingDirectory, string? expected = null)
    {
        await using var node = ChildProcess.StartDotnet("node-command", RepositoryPaths.NodeDll, arguments, workingDirectory);
        var exit = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));
        if (expected is not null)
        {
            Assert.Contains(expected, node.Output, StringComparison.Ordinal);
        }

        return exit;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TokensPage_CreateUseAndRevoke_OnDesktopAndPhoneWithoutSidewaysScrolling(bool phone)
    {
        var name = phone ? "phone-script" : "desk-script";
        var page = await fixture.Browser.OpenSignedInAsync(fixture.Web, "tokens", phone);
        await Browser.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=token-name] input, input[data-testid=token-name]").First.FillAsync(name);
        await page.ClickAsync("[data-testid=token-create]");
        var token = (await page.Locator("[data-testid=token-value]").InnerTextAsync()).Trim();
        Assert.StartsWith("cev_", token, StringComparison.Ordinal);
        var row = page.Locator("[data-testid=token][data-state=active]").Filter(new() { HasText = name });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        Assert.False(await Browser.OverflowsSidewaysAsync(page), "the tokens page scrolls sideways");
        await Browser.ScreenshotAsync(page, phone ? "tokens-phone" : "tokens");

        using var script = new HttpClient { BaseAddress = fixture.Web };
        script.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("api/events?limit=1")).StatusCode);

        await row.Locator("[data-testid=token-revoke]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=token][data-state=revoked]").Filter(new() { HasText = name })).ToHaveCountAsync(1);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("api/events?limit=1")).StatusCode);

        // The fleet page, with its codes and audit log, fits the same screen.
        await page.GotoAsync(new Uri(fixture.Web, "fleet").ToString());
        await Browser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=audit-entry]").Filter(new() { HasText = "create API token" }).First).ToBeVisibleAsync();
        Assert.False(await Browser.OverflowsSidewaysAsync(page), "the fleet page scrolls sideways");
        await Browser.ScreenshotAsync(page, phone ? "fleet-phone" : "fleet-desktop");
    }
}
