using System.Globalization;
using CctvEdge.Web.Services;

namespace CctvEdge.Web.Components.Shared;

/// <summary>How the pages write times and sizes.</summary>
internal static class Format
{
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var span = now - at;
        if (span < TimeSpan.FromSeconds(5))
        {
            return "just now";
        }

        if (span < TimeSpan.FromMinutes(1))
        {
            return $"{(int)span.TotalSeconds} s ago";
        }

        if (span < TimeSpan.FromHours(1))
        {
            return $"{(int)span.TotalMinutes} min ago";
        }

        return span < TimeSpan.FromDays(1) ? $"{(int)span.TotalHours} h ago" : at.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    public static string Day(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Duration(DateTimeOffset start, DateTimeOffset? end) =>
        end is { } e ? $"{(e - start).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" : "ongoing";

    public static string Bytes(long? bytes) => ByteSize.Format(bytes);

    public static string Percent(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " %" : "–";
}
