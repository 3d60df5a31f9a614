using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Uplink.Policy;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Tests;

/// <summary>Which clips a metered link's policy sends, its time windows, and its checks.</summary>
public sealed class UploadPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("all", true)]
    [InlineData("on-demand", false)]
    [InlineData("flagged", false)]
    public void Sends_PlainMotion_ByMode(string mode, bool sent)
    {
        var policy = Policy(new UploadPolicyOptions { Clips = mode });

        Assert.Equal(sent, policy.Sends("motion", [Event("motion")]));
    }

    [Fact]
    public void Flagged_SendsEventsWithAnAlertLabel_DefaultOrConfigured()
    {
        var defaults = Policy(new UploadPolicyOptions { Clips = "flagged" });
        var own = Policy(new UploadPolicyOptions { Clips = "flagged", FlaggedLabels = ["fox"] });

        Assert.True(defaults.Sends("motion", [Event("motion"), Event("detection", labels: ["Person"])]));
        Assert.False(defaults.Sends("motion", [Event("detection", labels: ["fox"])]));
        Assert.True(own.Sends("motion", [Event("detection", labels: ["fox"])]));
        Assert.False(own.Sends("motion", [Event("detection", labels: ["person"])]));
    }

    [Fact]
    public void ByRule_EveryListOfARuleMustMatch_AnyRuleSends()
    {
        var policy = Policy(new UploadPolicyOptions
        {
            Clips = "by-rule",
            Rules =
            [
                new UploadRuleOptions { Kinds = ["detection"], Labels = ["vehicle"], Zones = ["gate"] },
                new UploadRuleOptions { Kinds = ["continuous"] },
            ],
        });

        Assert.True(policy.Sends("motion", [Event("detection", labels: ["vehicle"], zones: ["gate", "yard"])]));
        Assert.False(policy.Sends("motion", [Event("detection", labels: ["vehicle"], zones: ["yard"])]));
        Assert.False(policy.Sends("motion", [Event("motion", zones: ["gate"])]));
        // Continuous recording's clips are an event of kind continuous, whatever else they show.
        Assert.True(policy.Sends("continuous", []));
    }

    [Fact]
    public void Camera_OverridesWhatItSets_FollowsTheNodeForTheRest()
    {
        var node = new UploadPolicyOptions { Clips = "on-demand", Windows = ["01:00-05:00"] };
        var camera = new CameraOptions { Id = "gate", UploadPolicy = new CameraUploadPolicyOptions { Clips = "all" } };

        var policy = ClipPolicy.For(node, camera);

        Assert.Equal("all", policy.Mode);
        Assert.Equal("01:00-05:00", Assert.Single(policy.Windows).ToString());
    }

    [Fact]
    public void RecentEvents_ShowsOverlappingEventsAndTheNamedOne_LatestStateOfEach()
    {
        var recent = new RecentEvents(TimeProvider.System);
        recent.Record(new PluginEvent("a", "motion", T0) { Labels = ["person"] });
        recent.Record(new PluginEvent("a", "motion", T0) { End = T0.AddSeconds(10), Labels = ["person"] });
        recent.Record(new PluginEvent("b", "motion", T0.AddMinutes(5)) { End = T0.AddMinutes(6) });
        recent.Record(new PluginEvent("c", "motion", T0.AddMinutes(20)));

        var shown = recent.Showing(T0.AddSeconds(-5), T0.AddSeconds(15), "b");

        Assert.Equal(["a", "b"], shown.Select(e => e.EventId).Order());
        Assert.Equal(T0.AddSeconds(10), shown.Single(e => e.EventId == "a").End);
        // An event still open covers everything after its start.
        Assert.Equal("c", Assert.Single(recent.Showing(T0.AddHours(1), T0.AddHours(2), null)).EventId);
    }

    [Theory]
    [InlineData("01:00-05:00", "00:59", false)]
    [InlineData("01:00-05:00", "01:00", true)]
    [InlineData("01:00-05:00", "05:00", false)]
    [InlineData("22:00-06:00", "23:30", true)]
    [InlineData("22:00-06:00", "05:59", true)]
    [InlineData("22:00-06:00", "12:00", false)]
    public void Window_ContainsItsStart_NotItsEnd_MaySpanMidnight(string window, string time, bool inside)
    {
        Assert.Equal(inside, UploadWindow.TryParse(window)!.Value.Contains(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("1:00-05:00")]
    [InlineData("01:00-01:00")]
    [InlineData("01:00")]
    [InlineData("25:00-05:00")]
    public void Window_Malformed_IsNotAWindow(string text) => Assert.Null(UploadWindow.TryParse(text));

    [Fact]
    public void Validator_NamesEveryBadKey()
    {
        var options = new UploadPolicyOptions
        {
            Clips = "by-rule",
            Windows = ["01:00-05:00", "late"],
            DailyBudgetMegabytes = -1,
            TimeZone = "Mars/Olympus",
            FlaggedLabels = [" "],
        };

        var failures = new UploadPolicyValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("UploadPolicy:Rules must hold at least one rule", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("UploadPolicy:Windows:1 'late'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("UploadPolicy:DailyBudgetMegabytes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("UploadPolicy:TimeZone 'Mars/Olympus'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("UploadPolicy:FlaggedLabels", StringComparison.Ordinal));
        Assert.True(new UploadPolicyValidator().Validate(null, new UploadPolicyOptions { Clips = "flagged", Windows = ["22:00-06:00"], DailyBudgetMegabytes = 500 }).Succeeded);
    }

    [Fact]
    public void Validator_Camera_BadModeAndEmptyRuleNamedWithTheCamerasKey()
    {
        var camera = TestCamera.Options();
        camera.Path = "Cameras:0";
        camera.UploadPolicy = new CameraUploadPolicyOptions { Clips = "some", Rules = [new UploadRuleOptions()] };
        var cameras = new CamerasOptions();
        cameras.Items.Add(camera);

        var failures = new NodeConfigurationValidator().Validate(null, cameras).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("Cameras:0:UploadPolicy:Clips 'some' is not one of all, flagged, by-rule, on-demand", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Cameras:0:UploadPolicy:Rules:0 matches every event", StringComparison.Ordinal));
    }

    private static ClipPolicy Policy(UploadPolicyOptions options) => ClipPolicy.For(options, new CameraOptions { Id = "yard" });

    private static EventFacts Event(string kind, string[]? labels = null, string[]? zones = null) =>
        new("e", kind, T0, T0.AddSeconds(5), labels ?? [], zones ?? []);

    internal static UploadPolicy Of(UploadPolicyOptions options) =>
        new(Options.Create(options), Microsoft.Extensions.Logging.Abstractions.NullLogger<UploadPolicy>.Instance);
}
