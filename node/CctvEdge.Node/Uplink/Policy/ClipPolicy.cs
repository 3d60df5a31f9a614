using CctvEdge.Node.Cameras;

namespace CctvEdge.Node.Uplink.Policy;

/// <summary>What an event on a camera was: the facts a clip's upload is decided on.</summary>
internal sealed record EventFacts(string EventId, string Kind, DateTimeOffset Start, DateTimeOffset? End, IReadOnlyList<string> Labels, IReadOnlyList<string> Zones)
{
    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => Start <= end && (End ?? DateTimeOffset.MaxValue) >= start;
}

/// <summary>
/// A camera's clip policy, the node's section with the camera's overrides: which clips go up on their own. Free of I/O.
/// </summary>
internal sealed record ClipPolicy(string Mode, IReadOnlyList<UploadRuleOptions> Rules, IReadOnlyList<string> FlaggedLabels, IReadOnlyList<UploadWindow> Windows)
{
    public static ClipPolicy For(UploadPolicyOptions node, CameraOptions camera)
    {
        var own = camera.UploadPolicy;
        return new ClipPolicy(
            own.Clips ?? node.Clips,
            own.Rules ?? node.Rules,
            node.EffectiveFlaggedLabels,
            UploadWindow.ParseAll(own.Windows ?? node.Windows));
    }

    /// <summary>
    /// Whether a clip cut for <paramref name="reason"/> and showing <paramref name="events"/> goes up by itself.
    /// Continuous recording's clips count as an event of kind <c>continuous</c>, so a rule can name them.
    /// </summary>
    public bool Sends(string reason, IReadOnlyList<EventFacts> events)
    {
        var shown = reason == Recording.RecordingService.ContinuousReason ? [.. events, new EventFacts("", reason, DateTimeOffset.MinValue, null, [], [])] : events;
        return Mode switch
        {
            ClipUploadModes.OnDemand => false,
            ClipUploadModes.Flagged => shown.Any(e => e.Labels.Any(l => FlaggedLabels.Contains(l, StringComparer.OrdinalIgnoreCase))),
            ClipUploadModes.ByRule => shown.Any(e => Rules.Any(r => Matches(r, e))),
            _ => true,
        };
    }

    /// <summary>Why a clip stays on the node, for the log and the reviewer.</summary>
    public string Describe() => Mode switch
    {
        ClipUploadModes.OnDemand => "clips are sent on demand only",
        ClipUploadModes.Flagged => $"only clips of events labelled {string.Join(", ", FlaggedLabels)} are sent",
        ClipUploadModes.ByRule => "no upload rule matched its events",
        _ => "all clips are sent",
    };

    private static bool Matches(UploadRuleOptions rule, EventFacts facts) =>
        AnyOrNone(rule.Kinds, [facts.Kind]) && AnyOrNone(rule.Labels, facts.Labels) && AnyOrNone(rule.Zones, facts.Zones);

    private static bool AnyOrNone(IReadOnlyList<string> wanted, IReadOnlyList<string> have) =>
        wanted.Count == 0 || have.Any(h => wanted.Contains(h, StringComparer.OrdinalIgnoreCase));
}
