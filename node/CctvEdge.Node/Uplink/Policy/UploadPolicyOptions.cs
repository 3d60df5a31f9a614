namespace CctvEdge.Node.Uplink.Policy;

/// <summary>
/// The <c>UploadPolicy</c> section: what a metered or slow link carries. Results and thumbnails always go; clips go by
/// <see cref="Clips"/>, inside <see cref="Windows"/>, within <see cref="DailyBudgetMegabytes"/>. Nothing is lost by
/// a policy: a clip it does not send is never cut, and its video stays in the camera's recording ring, retrievable
/// from the server (a retrieval), until the ring's retention passes it.
/// </summary>
internal sealed class UploadPolicyOptions
{
    public const string Section = "UploadPolicy";

    /// <summary>The node's default for its cameras: all, flagged, by-rule or on-demand (<see cref="ClipUploadModes"/>).</summary>
    public string Clips { get; set; } = ClipUploadModes.All;

    /// <summary>For <c>by-rule</c>: a clip goes when any event it shows matches any rule.</summary>
    public List<UploadRuleOptions> Rules { get; set; } = [];

    /// <summary>For <c>flagged</c>: the labels that flag an event; empty means S3's alert types (<see cref="DefaultFlaggedLabels"/>).</summary>
    public List<string> FlaggedLabels { get; set; } = [];

    /// <summary>
    /// Times of day (node local time, "HH:mm-HH:mm", may span midnight) when clips may be sent; empty means always.
    /// Retrievals a reviewer asked for are not held by windows: someone is waiting for them.
    /// </summary>
    public List<string> Windows { get; set; } = [];

    /// <summary>Clip bytes the node may send per local day, retrievals included; 0 for no limit.</summary>
    public double DailyBudgetMegabytes { get; set; }

    /// <summary>The IANA time zone of <see cref="Windows"/> and of the budget's day; empty for the machine's.</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>The labels of S3's alert types, which the detection plugin maps its labels to.</summary>
    public static readonly IReadOnlyList<string> DefaultFlaggedLabels = ["intrusion", "person", "vehicle"];

    public IReadOnlyList<string> EffectiveFlaggedLabels => FlaggedLabels.Count > 0 ? FlaggedLabels : DefaultFlaggedLabels;
}

/// <summary>A camera's <c>UploadPolicy</c>: what it sets overrides the node's section; what it leaves out follows it.</summary>
internal sealed class CameraUploadPolicyOptions
{
    public string? Clips { get; set; }

    public List<UploadRuleOptions>? Rules { get; set; }

    public List<string>? Windows { get; set; }
}

/// <summary>One rule of <c>by-rule</c>: every list given must match (any of its items); an empty list matches anything.</summary>
internal sealed class UploadRuleOptions
{
    /// <summary>Event kinds, e.g. motion, detection; <c>continuous</c> matches continuous recording's clips.</summary>
    public List<string> Kinds { get; set; } = [];

    /// <summary>Labels on the event, e.g. person, vehicle, intrusion.</summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>Named zones the event touched.</summary>
    public List<string> Zones { get; set; } = [];
}

/// <summary>The values of <c>UploadPolicy:Clips</c>.</summary>
internal static class ClipUploadModes
{
    public const string All = "all";
    public const string Flagged = "flagged";
    public const string ByRule = "by-rule";
    public const string OnDemand = "on-demand";

    public static readonly IReadOnlyList<string> Values = [All, Flagged, ByRule, OnDemand];
}
