using Bunit;
using CctvEdge.Web.Components.Events;
using CctvEdge.Web.Components.Shared;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace CctvEdge.Web.Tests;

/// <summary>
/// Selecting a range of the day's timeline to fetch from a node, rendered with bUnit: a window of 30 minutes or less
/// gets a button per camera whose node holds video in it, for the part it holds.
/// </summary>
public sealed class TimelineFetchTests : RadzenContext
{
    private static readonly DateTimeOffset Day = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly CameraKey Yard = new("barn", "yard");
    private static readonly CameraKey Gate = new("barn", "gate");
    private readonly List<RetrievalRange> _asked = [];

    public TimelineFetchTests()
    {
        Context.JSInterop.SetupModule("./_content/CctvEdge.Web/timeline.js");
        Context.Services.AddSingleton(TimeProvider.System);
    }

    [Fact]
    public void WholeDay_NoFetchButton()
    {
        Assert.Empty(Render(withFetch: true).FindAll("[data-testid=timeline-fetch]"));
    }

    [Fact]
    public async Task ZoomedTo14Minutes_OneButtonForTheCameraWithVideoInView_ClippedToWhatItHolds()
    {
        var timeline = Render(withFetch: true);

        // 10:00 to 10:14:24 of the day; the yard's node holds 10:05 to 11:00, the gate's nothing in view.
        await timeline.InvokeAsync(() => timeline.Instance.Zoom(10 / 24.0, 10.24 / 24.0));
        var button = timeline.Find("[data-testid=timeline-fetch]");
        await timeline.InvokeAsync(() => button.Click());

        Assert.Single(timeline.FindAll("[data-testid=timeline-fetch]"));
        Assert.Equal(Yard.ToString(), button.GetAttribute("data-camera"));
        var range = Assert.Single(_asked);
        Assert.Equal(new RetrievalRange(Yard, Day.AddHours(10).AddMinutes(5), Day.AddHours(10.24)), range);
        Assert.Contains($"Fetch Yard {Format.Time(range.From)}–{Format.Time(range.To)} from its node", button.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZoomedToTwoHours_AHintInsteadOfButtons()
    {
        var timeline = Render(withFetch: true);

        await timeline.InvokeAsync(() => timeline.Instance.Zoom(10 / 24.0, 12 / 24.0));

        Assert.Empty(timeline.FindAll("[data-testid=timeline-fetch]"));
        Assert.Contains("zoom to 30 minutes or less", timeline.Find("[data-testid=timeline-fetch-hint]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotAnAdmin_NoFetchCallback_NoButtons()
    {
        var timeline = Render(withFetch: false);

        await timeline.InvokeAsync(() => timeline.Instance.Zoom(10 / 24.0, 10.24 / 24.0));

        Assert.Empty(timeline.FindAll("[data-testid=timeline-fetch]"));
        Assert.Empty(timeline.FindAll("[data-testid=timeline-fetch-hint]"));
    }

    private IRenderedComponent<DayTimelineView> Render(bool withFetch)
    {
        var rows = new[]
        {
            new TimelineRow(Yard, "Yard", [], []) { OnNode = [new VideoSpan(Day.AddHours(10).AddMinutes(5), Day.AddHours(11))] },
            new TimelineRow(Gate, "Gate", [], []) { OnNode = [new VideoSpan(Day.AddHours(3), Day.AddHours(4))] },
        };
        return Context.Render<DayTimelineView>(p =>
        {
            p.Add(c => c.Timeline, new DayTimeline(Day, Day.AddDays(1), rows));
            if (withFetch)
            {
                p.Add(c => c.Fetch, EventCallback.Factory.Create<RetrievalRange>(this, r => _asked.Add(r)));
            }
        });
    }
}
