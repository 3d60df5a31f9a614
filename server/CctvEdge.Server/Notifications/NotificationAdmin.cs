using System.Text.Json;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Notifications.Channels;
using CctvEdge.Server.Notifications.Reports;
using CctvEdge.Server.Notifications.Rules;
using CctvEdge.Server.Notifications.Sending;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Notifications;

/// <summary>The notification settings page's service, on the REST API's paths; admins only, every change audited.</summary>
internal sealed class NotificationAdmin(
    ChannelStore channels,
    ChannelSecrets secrets,
    RuleStore rules,
    DeliveryDispatcher dispatcher,
    DailyReportService reports,
    AuditStore audit,
    CurrentUser current) : INotificationAdmin
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IReadOnlyList<ChannelKindInfo> Kinds { get; } = ChannelKinds.All.Values
        .Select(k => new ChannelKindInfo(k.Name, k.Settings.Select(s => new ChannelField(s.Name, s.Label, s.Required, s.Secret, s.Hint)).ToList()))
        .ToList();

    public async Task<IReadOnlyList<NotificationChannel>> ChannelsAsync(CancellationToken cancellationToken)
    {
        await current.RequireAdminAsync().ConfigureAwait(false);
        return await ChannelApi.ListAsync(channels, cancellationToken).ConfigureAwait(false);
    }

    public async Task<(NotificationChannel? Channel, string? Problem)> SaveChannelAsync(long? id, string name, string kind, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        // An empty field on the page means "not set" (for a secret: keep the stored one), as a left-out field does in the API.
        var body = JsonSerializer.SerializeToElement(new { name, kind, settings = settings.Where(s => !string.IsNullOrWhiteSpace(s.Value)).ToDictionary() }, Json);
        var (saved, _, errors) = await ChannelApi.SaveAsync(id, body, channels, secrets, cancellationToken).ConfigureAwait(false);
        await audit.PageChangeAsync(by, id is null ? "create notification channel" : "change notification channel", $"channel {saved?.Id ?? id} {name.Trim()} ({kind})", saved is null ? errors.Summary : "saved").ConfigureAwait(false);
        return saved is null ? (null, errors.Summary) : (saved, null);
    }

    public async Task<bool> DeleteChannelAsync(long id, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var deleted = await channels.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        await audit.PageChangeAsync(by, "delete notification channel", $"channel {id}", deleted ? "deleted" : "not found").ConfigureAwait(false);
        return deleted;
    }

    public async Task<string?> TestChannelAsync(long id, CancellationToken cancellationToken)
    {
        await current.RequireAdminAsync().ConfigureAwait(false);
        return await dispatcher.SendTestAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> SendReportAsync(long id, CancellationToken cancellationToken)
    {
        await current.RequireAdminAsync().ConfigureAwait(false);
        return await channels.FindAsync(id, cancellationToken).ConfigureAwait(false) is { } row
            ? await reports.SendAsync(secrets.Config(row), reports.Yesterday, cancellationToken).ConfigureAwait(false)
            : $"There is no channel #{id}.";
    }

    public async Task<IReadOnlyList<NotificationRule>> RulesAsync(CancellationToken cancellationToken)
    {
        await current.RequireAdminAsync().ConfigureAwait(false);
        return await rules.ListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<(NotificationRule? Rule, string? Problem)> SaveRuleAsync(NotificationRule rule, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var id = rule.Id == 0 ? (long?)null : rule.Id;
        var (saved, _, errors) = await RuleApi.SaveAsync(id, JsonSerializer.SerializeToElement(rule, Json), rules, cancellationToken).ConfigureAwait(false);
        await audit.PageChangeAsync(by, id is null ? "create notification rule" : "change notification rule", $"rule {saved?.Id ?? id} {rule.Name.Trim()}", saved is null ? errors.Summary : "saved").ConfigureAwait(false);
        return saved is null ? (null, errors.Summary) : (saved, null);
    }

    public async Task<bool> DeleteRuleAsync(long id, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var deleted = await rules.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        await audit.PageChangeAsync(by, "delete notification rule", $"rule {id}", deleted ? "deleted" : "not found").ConfigureAwait(false);
        return deleted;
    }
}
