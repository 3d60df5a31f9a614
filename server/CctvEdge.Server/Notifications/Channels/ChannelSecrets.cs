using System.Text.Json;
using CctvEdge.Server.Notifications.Sending;
using Microsoft.AspNetCore.DataProtection;

namespace CctvEdge.Server.Notifications.Channels;

/// <summary>
/// Channel secrets at rest: encrypted with the server's data-protection keys (the ones that sign its cookies). Those
/// keys are now kept in the server database so replicas share them (Accounts/DatabaseXmlRepository), unencrypted as
/// they were in the keys folder: a copy of the database, keys included, does give away a bot token; one of the
/// channels table alone does not.
/// </summary>
internal sealed class ChannelSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("CctvEdge.NotificationChannels.Secrets.v1");

    public string Protect(IReadOnlyDictionary<string, string> secrets) =>
        secrets.Count == 0 ? "" : _protector.Protect(JsonSerializer.Serialize(secrets));

    public Dictionary<string, string> Unprotect(string stored) =>
        stored.Length == 0 ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(stored)) ?? [];

    /// <summary>A stored channel in clear, for a sender.</summary>
    public ChannelConfig Config(ChannelRow row) =>
        new(row.Id, row.Name, row.Kind, JsonSerializer.Deserialize<Dictionary<string, string>>(row.Settings) ?? [], Unprotect(row.Secrets));
}
