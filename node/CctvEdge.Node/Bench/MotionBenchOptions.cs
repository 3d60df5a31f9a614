using System.Globalization;

namespace CctvEdge.Node.Bench;

/// <summary>The options of <c>cctvedge-node bench motion</c>.</summary>
internal sealed record MotionBenchOptions(
    string Input,
    int Width,
    int Height,
    string? Config,
    double Fps,
    string? PluginsDirectory,
    double WarmupSeconds,
    TimeSpan Start,
    string? FlagsFile)
{
    public const string Usage =
        "usage: cctvedge-node bench motion --input FILE --width W --height H [--config FILE] [--fps 5] [--plugins DIR] [--warmup SECONDS] [--start HH:mm] [--flags FILE]";

    /// <summary>Parses the arguments after <c>bench motion</c>; throws FormatException naming the bad one.</summary>
    public static MotionBenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new FormatException($"'{args[i]}' is not an option with a value.");
            }

            values[args[i]] = args[++i];
        }

        string? Take(string name) => values.Remove(name, out var value) ? value : null;
        string Required(string name) => Take(name) ?? throw new FormatException($"{name} is required.");
        double Number(string name, string text, double min, double max) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new FormatException($"{name} must be a number from {min} to {max} (was '{text}').");

        var options = new MotionBenchOptions(
            Required("--input"),
            (int)Number("--width", Required("--width"), 1, 8192),
            (int)Number("--height", Required("--height"), 1, 8192),
            Take("--config"),
            Number("--fps", Take("--fps") ?? "5", 0.1, 120),
            Take("--plugins"),
            Number("--warmup", Take("--warmup") ?? "2", 0, 60),
            TimeSpan.TryParse(Take("--start") ?? "12:00", CultureInfo.InvariantCulture, out var start) && start >= TimeSpan.Zero && start < TimeSpan.FromDays(1)
                ? start
                : throw new FormatException("--start must be a time of day such as 21:30."),
            Take("--flags"));
        return values.Count == 0 ? options : throw new FormatException($"unknown option {values.Keys.First()}.");
    }
}
