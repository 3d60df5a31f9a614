using System.Globalization;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Processors;

/// <summary>The <c>Processors</c> section: server plugins that react to stored results.</summary>
internal sealed class ProcessorOptions
{
    public const string Section = "Processors";

    /// <summary>One folder per processor; empty means the <c>processors</c> folder next to the server.</summary>
    public string Directory { get; set; } = "";

    /// <summary>A call into a processor longer than this is counted and reported; it is not stopped.</summary>
    public int CallBudgetMilliseconds { get; set; } = 1000;

    /// <summary>A call still running after this many seconds is reported as hung and the processor switched off.</summary>
    public double HangSeconds { get; set; } = 30;

    /// <summary>Batches waiting per processor; beyond it new batches are dropped for that processor and counted.</summary>
    public int QueueLength { get; set; } = 1000;

    /// <summary>Seconds between rescans of the processors directory; file system events usually notice a change at once.</summary>
    public double RescanSeconds { get; set; } = 10;

    /// <summary>How long a processor folder must stay unchanged before it is loaded.</summary>
    public int QuietMilliseconds { get; set; } = 1000;

    /// <summary>Each processor's own settings by id; <c>Enabled: false</c> turns a processor off.</summary>
    public Dictionary<string, IConfigurationSection> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string ResolvedDirectory => string.IsNullOrWhiteSpace(Directory) ? Path.Combine(AppContext.BaseDirectory, "processors") : Path.GetFullPath(Directory);
}

internal sealed class ProcessorOptionsValidator : IValidateOptions<ProcessorOptions>
{
    public ValidateOptionsResult Validate(string? name, ProcessorOptions options)
    {
        var errors = new List<string>();
        Range(errors, "Processors:CallBudgetMilliseconds", options.CallBudgetMilliseconds, 1, 600_000);
        Range(errors, "Processors:HangSeconds", options.HangSeconds, Math.Max(1, options.CallBudgetMilliseconds / 1000.0), 86400);
        Range(errors, "Processors:QueueLength", options.QueueLength, 1, 1_000_000);
        Range(errors, "Processors:RescanSeconds", options.RescanSeconds, 0.1, 3600);
        Range(errors, "Processors:QuietMilliseconds", options.QuietMilliseconds, 10, 60_000);
        foreach (var (id, settings) in options.Settings)
        {
            if (settings["Enabled"] is { } enabled && !bool.TryParse(enabled, out _))
            {
                errors.Add($"Processors:Settings:{id}:Enabled must be true or false (was '{enabled}').");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key} must be between {min} and {max} (was {value})."));
        }
    }
}
