using System.Globalization;
using CctvEdge.Plugins.Hosting;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Storage;

/// <summary>
/// The <c>Retention</c> section: how long clips are kept. Per camera limits (age, size) apply to each camera, with
/// overrides under <c>Retention:Cameras:{node}.{camera}</c>; a global floor of free space on the clip disk triggers
/// emergency deletion of the oldest clips. Flagged clips are never deleted.
/// </summary>
internal sealed class RetentionOptions
{
    public const string Section = "Retention";

    public double MaxAgeDays { get; set; } = 30;

    /// <summary>Per camera; 0 for no limit.</summary>
    public double MaxGigabytesPerCamera { get; set; }

    /// <summary>The clip disk's free-space floor.</summary>
    public double MinFreeGigabytes { get; set; } = 1;

    public double IntervalMinutes { get; set; } = 10;

    /// <summary>The first pass waits this long after start, so a restarting server settles before deleting anything.</summary>
    public double StartDelaySeconds { get; set; } = 60;

    public Dictionary<string, CameraRetention> Cameras { get; set; } = new(StringComparer.Ordinal);

    public (double MaxAgeDays, double MaxGigabytes) For(string nodeId, string cameraId) =>
        Cameras.TryGetValue(nodeId + "." + cameraId, out var own)
            ? (own.MaxAgeDays ?? MaxAgeDays, own.MaxGigabytes ?? MaxGigabytesPerCamera)
            : (MaxAgeDays, MaxGigabytesPerCamera);
}

/// <summary>One camera's overrides.</summary>
internal sealed class CameraRetention
{
    public double? MaxAgeDays { get; set; }

    public double? MaxGigabytes { get; set; }
}

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var errors = new List<string>();
        Range(errors, "Retention:MaxAgeDays", options.MaxAgeDays, 0.001, 36500);
        Range(errors, "Retention:MaxGigabytesPerCamera", options.MaxGigabytesPerCamera, 0, 1_000_000);
        Range(errors, "Retention:MinFreeGigabytes", options.MinFreeGigabytes, 0, 1_000_000);
        Range(errors, "Retention:IntervalMinutes", options.IntervalMinutes, 0.01, 1440);
        Range(errors, "Retention:StartDelaySeconds", options.StartDelaySeconds, 0, 86400);
        foreach (var (key, camera) in options.Cameras)
        {
            var parts = key.Split('.');
            if (parts.Length != 2 || !Identifier.IsValid(parts[0]) || !Identifier.IsValid(parts[1]))
            {
                errors.Add($"Retention:Cameras:{key} must be named node.camera, e.g. barn.yard.");
            }

            Range(errors, $"Retention:Cameras:{key}:MaxAgeDays", camera.MaxAgeDays ?? 1, 0.001, 36500);
            Range(errors, $"Retention:Cameras:{key}:MaxGigabytes", camera.MaxGigabytes ?? 0, 0, 1_000_000);
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
