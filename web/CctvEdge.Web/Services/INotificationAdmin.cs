namespace CctvEdge.Web.Services;

/// <summary>
/// A rule: which events (kinds, cameras as <c>node.camera</c>, zones, a schedule in the server's local time) go to
/// which channels, at most once per <see cref="CooldownSeconds"/> for each camera. Empty lists match everything.
/// The REST API's JSON shape too.
/// </summary>
public sealed record NotificationRule
{
    public long Id { get; init; }

    public string Name { get; init; } = "";

    public bool Enabled { get; init; } = true;

    public IReadOnlyList<string> Kinds { get; init; } = [];

    public IReadOnlyList<string> Cameras { get; init; } = [];

    public IReadOnlyList<string> Zones { get; init; } = [];

    /// <summary>Detection labels (person, car ...): an event matches when its payload's <c>labels</c> name any of them, ignoring case. Empty for any event.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    public IReadOnlyList<long> Channels { get; init; } = [];

    public int CooldownSeconds { get; init; }

    /// <summary>Only events whose peak reaches this; an open event below it is judged again as its peak grows. Null for any peak.</summary>
    public double? MinPeak { get; init; }

    /// <summary>Only events lasting this long; an open event counts until now, so it is sent once it has lasted this long. Null for any length.</summary>
    public int? MinDurationSeconds { get; init; }

    /// <summary>When the rule is on; null for always.</summary>
    public RuleSchedule? Schedule { get; init; }

    /// <summary>Every day between From and To (HH:mm) the rule sends nothing, whatever its schedule; null for no quiet hours.</summary>
    public RuleSchedule? QuietHours { get; init; }

    /// <summary>Only unusual events: null sends every match.</summary>
    public RuleAdaptive? Adaptive { get; init; }

    /// <summary>A day-over-day rule: sends nothing per event, but once a day per camera when today's motion runs ahead of yesterday's.</summary>
    public RuleDayOverDay? DayOverDay { get; init; }
}

/// <summary>
/// Sends a <c>motion-trend</c> event (<c>detection-trend</c> … for a rule of other kinds) once a day per camera when
/// the camera's time in events of the rule's kinds (motion when it names none) today, from local midnight to now,
/// exceeds yesterday's over the same hours by more than <see cref="Percent"/> %.
/// </summary>
public sealed record RuleDayOverDay
{
    public double Percent { get; init; } = 25;
}

/// <summary>
/// An adaptive rule sends an event only when its peak is above the mean + <see cref="K"/>·σ of the peaks of the same
/// camera's events of that kind over the 24 h before it; with fewer than <see cref="MinSamples"/> of them it is still
/// learning and sends every match.
/// </summary>
public sealed record RuleAdaptive
{
    public double K { get; init; } = 3;

    public int MinSamples { get; init; } = 20;
}

/// <summary>Days (mon..sun, none for every day) and a time of day range as HH:mm; a range past midnight belongs to the day it starts.</summary>
public sealed record RuleSchedule
{
    public IReadOnlyList<string> Days { get; init; } = [];

    public string From { get; init; } = "00:00";

    public string To { get; init; } = "00:00";
}

/// <summary>A channel as listed: its settings except the secrets, which are only named, and how its deliveries go.</summary>
public sealed record NotificationChannel(
    long Id,
    string Name,
    string Kind,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<string> SecretsSet,
    DateTimeOffset? LastSent,
    string LastError,
    DateTimeOffset? LastErrorAt,
    long Pending,
    long Sent,
    long Dead);

/// <summary>A setting a kind of channel takes, for the settings page's form.</summary>
public sealed record ChannelField(string Name, string Label, bool Required, bool Secret, string Hint);

/// <summary>A kind of channel this server can send through, with its settings.</summary>
public sealed record ChannelKindInfo(string Name, IReadOnlyList<ChannelField> Fields);

/// <summary>The notification settings page: channels and rules (admins only), on the REST API's validation.</summary>
public interface INotificationAdmin
{
    IReadOnlyList<ChannelKindInfo> Kinds { get; }

    Task<IReadOnlyList<NotificationChannel>> ChannelsAsync(CancellationToken cancellationToken);

    /// <summary>Saves a channel; a secret setting left empty keeps its stored value. The saved channel, or what is wrong.</summary>
    Task<(NotificationChannel? Channel, string? Problem)> SaveChannelAsync(long? id, string name, string kind, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken);

    Task<bool> DeleteChannelAsync(long id, CancellationToken cancellationToken);

    /// <summary>Sends a test message now; null when it went, else why not.</summary>
    Task<string?> TestChannelAsync(long id, CancellationToken cancellationToken);

    /// <summary>E-mail channels: sends yesterday's daily report now; null when it went, else why not.</summary>
    Task<string?> SendReportAsync(long id, CancellationToken cancellationToken);

    Task<IReadOnlyList<NotificationRule>> RulesAsync(CancellationToken cancellationToken);

    /// <summary>Saves <paramref name="rule"/> (a new one when its id is 0). The saved rule, or what is wrong.</summary>
    Task<(NotificationRule? Rule, string? Problem)> SaveRuleAsync(NotificationRule rule, CancellationToken cancellationToken);

    Task<bool> DeleteRuleAsync(long id, CancellationToken cancellationToken);
}
