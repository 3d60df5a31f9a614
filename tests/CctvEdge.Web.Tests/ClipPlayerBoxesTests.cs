using Bunit;
using CctvEdge.Web.Components.Player;
using CctvEdge.Web.Services;

namespace CctvEdge.Web.Tests;

/// <summary>Detection boxes over the player's video, rendered with bUnit (player.js fits them to the video in a browser).</summary>
public sealed class ClipPlayerBoxesTests : RadzenContext
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Boxes_DrawnAsFractionsOfThePicture_ToggledWithoutLosingTheOverlay()
    {
        var player = Render([new LabelBox("person", 0.91, 0.5, 0.1, 0.125, 0.4), new LabelBox("car", 0.8, 0.1, 0.2, 0.3, 0.2)]);

        var rects = player.FindAll("[data-testid=player-box]");
        Assert.Equal(["person", "car"], rects.Select(r => r.GetAttribute("data-label")));
        Assert.Equal(("0.5", "0.1", "0.125", "0.4"), (rects[0].GetAttribute("x"), rects[0].GetAttribute("y"), rects[0].GetAttribute("width"), rects[0].GetAttribute("height")));
        Assert.Equal("person 0.91", rects[0].QuerySelector("title")!.TextContent);
        var toggle = player.Find("[data-testid=player-boxes-toggle]");
        Assert.Equal("Hide boxes (person, car)", toggle.TextContent.Trim());
        Assert.False(player.Find("[data-testid=player-boxes]").HasAttribute("hidden"));

        toggle.Click();

        // Hidden, still there: the view box player.js set on it stays.
        Assert.True(player.Find("[data-testid=player-boxes]").HasAttribute("hidden"));
        Assert.Equal("Show boxes (person, car)", player.Find("[data-testid=player-boxes-toggle]").TextContent.Trim());
    }

    [Fact]
    public void NoBoxes_NoOverlayNoToggle()
    {
        var player = Render([]);

        Assert.Empty(player.FindAll("[data-testid=player-boxes]"));
        Assert.Empty(player.FindAll("[data-testid=player-boxes-toggle]"));
        Assert.Single(player.FindAll("[data-testid=player-video]"));
    }

    private IRenderedComponent<ClipPlayer> Render(IReadOnlyList<LabelBox> boxes) =>
        Context.Render<ClipPlayer>(p => p
            .Add(c => c.Clip, new ClipView("c1", "barn", "yard", Start, Start.AddSeconds(10), 1000, "ab", "stored", 10, false, null))
            .Add(c => c.Motion, [])
            .Add(c => c.GraphFrom, Start)
            .Add(c => c.GraphTo, Start.AddSeconds(10))
            .Add(c => c.Boxes, boxes));
}
