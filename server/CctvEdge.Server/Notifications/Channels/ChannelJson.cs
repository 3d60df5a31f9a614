using System.Text.Json;
using CctvEdge.Server.Api;

namespace CctvEdge.Server.Notifications.Channels;

/// <summary>A channel as validated: its name, kind, plain settings and secrets (in clear, to be protected before storing).</summary>
internal sealed record ChannelDraft(string Name, string Kind, Dictionary<string, string> Settings, Dictionary<string, string> Secrets);

/// <summary>
/// Reads <c>{"name", "kind", "settings": {...}}</c> field by field into a draft, naming each wrong field. Secrets are
/// write-only: on a change, a secret left out keeps its stored value.
/// </summary>
internal static class ChannelJson
{
    public const int MaxNameLength = 60;

    public static ChannelDraft? Parse(JsonElement body, ChannelDraft? existing, QueryErrors errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "must be a JSON object with name, kind and settings.");
            return null;
        }

        var name = Text(body, "name")?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            errors.Add("name", $"must be 1 to {MaxNameLength} characters.");
        }

        var kindName = Text(body, "kind") ?? existing?.Kind ?? "";
        if (!ChannelKinds.All.TryGetValue(kindName, out var kind))
        {
            errors.Add("kind", $"must be one of {string.Join(", ", ChannelKinds.All.Keys)} (was '{kindName}').");
            return null;
        }

        var given = body.TryGetProperty("settings", out var s) ? s : default;
        if (given.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            errors.Add("settings", "must be an object.");
            return null;
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = existing?.Kind == kind.Name ? new Dictionary<string, string>(existing.Secrets, StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal);
        if (given.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in given.EnumerateObject())
            {
                var setting = kind.Settings.FirstOrDefault(x => x.Name == property.Name);
                if (setting is null)
                {
                    errors.Add("settings." + property.Name, $"is not a {kind.Name} setting; they are {string.Join(", ", kind.Settings.Select(x => x.Name))}.");
                    continue;
                }

                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                var value = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!.Trim(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    _ => null,
                };
                var problem = value is null ? "must be a string." : setting.Check(value);
                if (problem is not null)
                {
                    errors.Add("settings." + setting.Name, problem);
                    continue;
                }

                (setting.Secret ? secrets : settings)[setting.Name] = value!;
            }
        }

        foreach (var missing in kind.Settings.Where(x => x.Required && !settings.ContainsKey(x.Name) && !secrets.ContainsKey(x.Name)))
        {
            errors.Add("settings." + missing.Name, "is required.");
        }

        return errors.Any ? null : new ChannelDraft(name, kind.Name, settings, secrets);
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
