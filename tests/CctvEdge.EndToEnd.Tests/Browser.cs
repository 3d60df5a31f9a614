using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CctvEdge.Harness;
using CctvEdge.Testing;
using Microsoft.Playwright;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>Debian's Chromium under Playwright, headless, with the flags this closed network needs.</summary>
internal sealed class Browser : IAsyncDisposable
{
    /// <summary>What each page wrote to its console, to tell why a page did not come alive.</summary>
    private static readonly ConditionalWeakTable<IPage, List<string>> Said = [];
    private readonly List<IBrowserContext> _open = [];
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryPaths.Root, "TestResults", "screenshots");

    public static async Task<Browser> LaunchAsync()
    {
        // Expectations wait up to 20 s instead of Playwright's 5: CI runs the browser beside a node, a server and
        // ffmpeg on two cores, where a Blazor round trip can take seconds.
        Assertions.SetDefaultExpectTimeout(20_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CCTVEDGE_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Timeout = 60_000,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        return new Browser(playwright, browser);
    }

    /// <summary>A new page with its own cookies (a fresh visitor), at <paramref name="address"/>; on a phone (390x844, touch) when asked.</summary>
    public async Task<IPage> OpenAsync(Uri address, bool phone = false)
    {
        var page = await _browser.NewPageAsync(phone
            ? new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 3 }
            : new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, AcceptDownloads = true });
        page.SetDefaultTimeout(30_000);
        lock (_open)
        {
            _open.Add(page.Context);
        }

        var said = Said.GetOrCreateValue(page);
        page.Console += (_, message) => { lock (said) { said.Add($"{message.Type}: {message.Text}"); } };
        page.PageError += (_, error) => { lock (said) { said.Add($"page error: {error}"); } };
        await page.GotoAsync(address.ToString());
        return page;
    }

    /// <summary>A new page signed in as the test admin through the sign-in form, then at <paramref name="path"/>.</summary>
    public async Task<IPage> OpenSignedInAsync(Uri webAddress, string path = "", bool phone = false)
    {
        var page = await OpenAsync(new Uri(webAddress, "signin"), phone);
        await SignInAsync(page, WebSignIn.AdminName, WebSignIn.AdminPassword);
        if (path.Length > 0)
        {
            await page.GotoAsync(new Uri(webAddress, path).ToString());
        }

        return page;
    }

    /// <summary>Fills the sign-in form and waits to land on the page it sends the user to.</summary>
    public static async Task SignInAsync(IPage page, string name, string password)
    {
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", password);
        await page.ClickAsync("[data-testid=signin-submit]");
        try
        {
            await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        }
        catch (TimeoutException ex)
        {
            // Say what the page said, if anything: a refused sign-in and a slow one look alike otherwise.
            var error = page.Locator("[data-testid=signin-error]");
            var said = await error.CountAsync() > 0 ? await error.InnerTextAsync() : "no error shown";
            throw new TimeoutException($"Still on {page.Url} after signing in as {name} ({said}).", ex);
        }
    }

    /// <summary>Waits until the page runs interactively (its circuit is up), after the prerendered first paint.</summary>
    public static async Task WaitInteractiveAsync(IPage page)
    {
        try
        {
            await page.Locator("[data-testid=interactive]").First.WaitForAsync();
        }
        catch (TimeoutException ex)
        {
            // Keep what the page showed: a page that never came alive and a slow one look alike otherwise.
            var name = $"not-interactive-{Regex.Replace(new Uri(page.Url).AbsolutePath, "[^a-z0-9]+", "-")}-{DateTime.UtcNow:HHmmss}";
            await ScreenshotAsync(page, name);
            var said = Said.GetOrCreateValue(page);
            string console;
            lock (said)
            {
                console = string.Join(Environment.NewLine, said.TakeLast(20));
            }

            throw new TimeoutException($"{page.Url} did not become interactive; screenshot {name}.png; the console said:{Environment.NewLine}{console}", ex);
        }
    }

    /// <summary>Whether the page is wider than its viewport: on a phone, content that scrolls sideways.</summary>
    public static Task<bool> OverflowsSidewaysAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    /// <summary>
    /// Closes every page opened so far (each has its own context), ending their circuits on the server. Each page
    /// first leaves for about:blank, as a closing tab does: Blazor then tells the server the circuit is over. A
    /// context closed outright drops the socket instead, and the server keeps the circuit (timers, live updates,
    /// followed cameras) for its reconnection window, minutes in which later tests share the two cores with it.
    /// </summary>
    public async Task CloseAllAsync()
    {
        IBrowserContext[] open;
        lock (_open)
        {
            open = [.. _open];
            _open.Clear();
        }

        foreach (var context in open)
        {
            foreach (var page in context.Pages)
            {
                try
                {
                    await page.GotoAsync("about:blank", new() { Timeout = 5000 });
                }
                catch (PlaywrightException)
                {
                    // Already gone or stuck: closing the context below still ends it.
                }
            }

            await context.CloseAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
