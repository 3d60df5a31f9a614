using System.Globalization;
using System.Text.Json;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Api;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Notifications.Rules;

/// <summary>
/// Reads a rule from the JSON the API and the rules page send, field by field, so a wrong type or value is a 400
/// naming that field (<c>cooldownSeconds must be a whole number of seconds from 0 to 86400</c>) rather than a
/// deserializer's message about a position in the text.
/// </summary>
internal static class RuleJson
{
    public const int MaxNameLength = 60;
    public const int MaxCooldownSeconds = 86_400;
    public const double MaxPeak = 1_000_000;
    private const int MaxItems = 64;

    public static NotificationRule? Parse(JsonElement body, QueryErrors errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "must be a JSON object with name, kinds, cameras, zones, labels, channels, cooldownSeconds, minPeak, minDurationSeconds, schedule, quietHours, adaptive, dayOverDay and enabled.");
            return null;
        }

        var name = String(body, "name", errors)?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            errors.Add("name", $"must be 1 to {MaxNameLength} characters.");
        }

        var kinds = Strings(body, "kinds", errors, k => k.Length is > 0 and <= 32, "an event kind of 1 to 32 characters, e.g. motion");
        var cameras = Strings(body, "cameras", errors, IsCameraKey, $"a camera as node.camera, each part {Identifier.Rule}");
        var zones = Strings(body, "zones", errors, z => z.Length is > 0 and <= 64, "a zone name of 1 to 64 characters");
        var labels = Strings(body, "labels", errors, l => l.Length is > 0 and <= 64, "a detection label of 1 to 64 characters, e.g. person");
        var channels = Ids(body, "channels", errors);
        var cooldown = 0;
        if (body.TryGetProperty("cooldownSeconds", out var c) && c.ValueKind != JsonValueKind.Null
            && !(c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out cooldown) && cooldown is >= 0 and <= MaxCooldownSeconds))
        {
            errors.Add("cooldownSeconds", $"must be a whole number of seconds from 0 to {MaxCooldownSeconds} (was {c.GetRawText()}).");
        }

        var minPeak = Number(body, "minPeak", errors, 0, MaxPeak, "must be a peak from 0 to 1000000, e.g. 5 (% of the frame for motion)");
        var minDuration = Number(body, "minDurationSeconds", errors, 0, MaxCooldownSeconds, $"must be a whole number of seconds from 0 to {MaxCooldownSeconds}", whole: true);
        var enabled = true;
        if (body.TryGetProperty("enabled", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                enabled = e.GetBoolean();
            }
            else
            {
                errors.Add("enabled", $"must be true or false (was {e.GetRawText()}).");
            }
        }

        var schedule = body.TryGetProperty("schedule", out var s) && s.ValueKind != JsonValueKind.Null ? Schedule(s, "schedule", errors) : null;
        var quiet = body.TryGetProperty("quietHours", out var q) && q.ValueKind != JsonValueKind.Null ? Schedule(q, "quietHours", errors) : null;
        var adaptive = body.TryGetProperty("adaptive", out var a) && a.ValueKind != JsonValueKind.Null ? Adaptive(a, errors) : null;
        var dayOverDay = body.TryGetProperty("dayOverDay", out var d) && d.ValueKind != JsonValueKind.Null ? DayOverDay(d, errors) : null;
        return errors.Any
            ? null
            : new NotificationRule
            {
                Name = name, Enabled = enabled, Kinds = kinds, Cameras = cameras, Zones = zones, Labels = labels, Channels = channels, CooldownSeconds = cooldown,
                MinPeak = minPeak, MinDurationSeconds = (int?)minDuration,
                Schedule = schedule, QuietHours = quiet, Adaptive = adaptive, DayOverDay = dayOverDay,
            };
    }

    private static RuleSchedule? Schedule(JsonElement s, string field, QueryErrors errors)
    {
        if (s.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, "must be an object such as {\"days\": [\"sat\", \"sun\"], \"from\": \"22:00\", \"to\": \"06:00\"}.");
            return null;
        }

        var days = Strings(s, "days", errors, d => RuleMatching.DayNames.Contains(d, StringComparer.Ordinal), $"one of {string.Join(", ", RuleMatching.DayNames)}", field + ".days");
        var from = Time(s, field, "from", errors);
        var to = Time(s, field, "to", errors);
        return new RuleSchedule { Days = days, From = from, To = to };
    }

    private static RuleAdaptive? Adaptive(JsonElement a, QueryErrors errors)
    {
        if (a.ValueKind != JsonValueKind.Object)
        {
            errors.Add("adaptive", "must be an object such as {\"k\": 3, \"minSamples\": 20}.");
            return null;
        }

        var adaptive = new RuleAdaptive();
        if (a.TryGetProperty("k", out var k) && k.ValueKind != JsonValueKind.Null)
        {
            if (k.ValueKind == JsonValueKind.Number && k.TryGetDouble(out var value) && value is >= 0 and <= 20)
            {
                adaptive = adaptive with { K = value };
            }
            else
            {
                errors.Add("adaptive.k", $"must be a number of standard deviations from 0 to 20 (was {k.GetRawText()}).");
            }
        }

        if (a.TryGetProperty("minSamples", out var m) && m.ValueKind != JsonValueKind.Null)
        {
            if (m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out var value) && value is >= 2 and <= 10_000)
            {
                adaptive = adaptive with { MinSamples = value };
            }
            else
            {
                errors.Add("adaptive.minSamples", $"must be a whole number of events from 2 to 10000 (was {m.GetRawText()}).");
            }
        }

        return adaptive;
    }

    private static RuleDayOverDay? DayOverDay(JsonElement d, QueryErrors errors)
    {
        if (d.ValueKind == JsonValueKind.Object && d.TryGetProperty("percent", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetDouble(out var percent) && percent is >= 1 and <= 10_000)
        {
            return new RuleDayOverDay { Percent = percent };
        }

        errors.Add("dayOverDay.percent", "must be a number from 1 to 10000: how many % more motion than yesterday by the same hour, e.g. {\"percent\": 25}.");
        return null;
    }

    /// <summary>An optional number in [min, max]; null when absent or null.</summary>
    private static double? Number(JsonElement body, string name, QueryErrors errors, double min, double max, string rule, bool whole = false)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number >= min && number <= max && (!whole || number == Math.Floor(number)))
        {
            return number;
        }

        errors.Add(name, $"{rule} (was {value.GetRawText()}).");
        return null;
    }

    private static string Time(JsonElement s, string field, string name, QueryErrors errors)
    {
        var text = String(s, name, errors, $"{field}.{name}") ?? "00:00";
        if (!TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add($"{field}.{name}", $"must be a time of day as HH:mm, e.g. 22:00 (was '{text}').");
        }

        return text;
    }

    private static bool IsCameraKey(string key)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && Identifier.IsValid(key[..dot]) && Identifier.IsValid(key[(dot + 1)..]);
    }

    private static string? String(JsonElement body, string name, QueryErrors errors, string? field = null)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors.Add(field ?? name, $"must be a string (was {value.GetRawText()}).");
        return null;
    }

    private static List<string> Strings(JsonElement body, string name, QueryErrors errors, Func<string, bool> valid, string what, string? field = null)
    {
        field ??= name;
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > MaxItems)
        {
            errors.Add(field, $"must be an array of at most {MaxItems} strings, each {what}.");
            return [];
        }

        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { } text && valid(text))
            {
                items.Add(text);
            }
            else
            {
                errors.Add(field, $"{item.GetRawText()} is not {what}.");
            }
        }

        return items.Distinct(StringComparer.Ordinal).ToList();
    }

    private static List<long> Ids(JsonElement body, string name, QueryErrors errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > MaxItems)
        {
            errors.Add(name, $"must be an array of 1 to {MaxItems} channel ids.");
            return [];
        }

        var ids = new List<long>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var id) && id > 0)
            {
                ids.Add(id);
            }
            else
            {
                errors.Add(name, $"{item.GetRawText()} is not a channel id.");
            }
        }

        return ids.Distinct().ToList();
    }
}
