using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Uplink.Policy;

/// <summary>Checks the node's <c>UploadPolicy</c> and each camera's, naming every bad key.</summary>
internal sealed class UploadPolicyValidator : IValidateOptions<UploadPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, UploadPolicyOptions options)
    {
        var errors = new List<string>();
        const string at = UploadPolicyOptions.Section;
        UploadPolicyRules.Check(at, options.Clips, options.Rules, options.Windows, errors);
        if (double.IsNaN(options.DailyBudgetMegabytes) || options.DailyBudgetMegabytes is < 0 or > 10_000_000)
        {
            errors.Add($"{at}:DailyBudgetMegabytes must be between 0 (no limit) and 10000000 (was {options.DailyBudgetMegabytes}).");
        }

        if (options.FlaggedLabels.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{at}:FlaggedLabels must not hold empty labels.");
        }

        if (options.TimeZone.Length > 0 && !TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            errors.Add($"{at}:TimeZone '{options.TimeZone}' is not a time zone this machine knows (e.g. Europe/London).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The checks a node's and a camera's upload policy share.</summary>
internal static class UploadPolicyRules
{
    public static void Check(string at, string? clips, IReadOnlyList<UploadRuleOptions>? rules, IReadOnlyList<string>? windows, List<string> errors)
    {
        if (clips is not null && !ClipUploadModes.Values.Contains(clips))
        {
            errors.Add($"{at}:Clips '{clips}' is not one of {string.Join(", ", ClipUploadModes.Values)}.");
        }

        if (clips == ClipUploadModes.ByRule && (rules is null || rules.Count == 0))
        {
            errors.Add($"{at}:Rules must hold at least one rule when Clips is by-rule (e.g. {{\"Labels\": [\"person\"]}}).");
        }

        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            var rule = rules![i];
            if (rule.Kinds.Count + rule.Labels.Count + rule.Zones.Count == 0)
            {
                errors.Add($"{at}:Rules:{i} matches every event: give it Kinds, Labels or Zones (or use Clips: all).");
            }

            if (rule.Kinds.Concat(rule.Labels).Concat(rule.Zones).Any(string.IsNullOrWhiteSpace))
            {
                errors.Add($"{at}:Rules:{i} must not hold empty names.");
            }
        }

        for (var i = 0; i < (windows?.Count ?? 0); i++)
        {
            if (UploadWindow.TryParse(windows![i]) is null)
            {
                errors.Add($"{at}:Windows:{i} '{windows[i]}' is not a time window HH:mm-HH:mm with different ends, e.g. 01:00-05:00.");
            }
        }
    }
}
