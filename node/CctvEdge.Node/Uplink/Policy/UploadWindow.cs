using System.Globalization;

namespace CctvEdge.Node.Uplink.Policy;

/// <summary>A time of day when clips may be sent, e.g. 01:00-05:00; one whose end is before its start spans midnight.</summary>
internal readonly record struct UploadWindow(TimeOnly Start, TimeOnly End)
{
    public bool Contains(TimeOnly time) => Start < End ? time >= Start && time < End : time >= Start || time < End;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Start:HH\\:mm}-{End:HH\\:mm}");

    /// <summary>Reads "HH:mm-HH:mm"; null when it is not one (the validator names the key).</summary>
    public static UploadWindow? TryParse(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            && TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            && start != end
                ? new UploadWindow(start, end)
                : null;
    }

    /// <summary>Whether <paramref name="time"/> is in any of <paramref name="windows"/>; no windows means always.</summary>
    public static bool AnyContains(IReadOnlyList<UploadWindow> windows, TimeOnly time) => windows.Count == 0 || windows.Any(w => w.Contains(time));

    public static IReadOnlyList<UploadWindow> ParseAll(IEnumerable<string> texts) => texts.Select(t => TryParse(t) ?? throw new FormatException($"'{t}' is not a time window HH:mm-HH:mm.")).ToList();
}
