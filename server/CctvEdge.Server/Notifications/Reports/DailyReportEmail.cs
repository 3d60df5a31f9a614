using System.Globalization;
using System.Net;
using System.Text;
using CctvEdge.Web.Services;
using MimeKit;

namespace CctvEdge.Server.Notifications.Reports;

/// <summary>Lays a <see cref="DailyReport"/> out as an e-mail: the same sections as plain text and as small HTML tables.</summary>
internal static class DailyReportEmail
{
    public static MimeMessage Compose(DailyReport report, TimeZoneInfo zone)
    {
        var sections = Sections(report, zone);
        var text = new StringBuilder();
        var html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        html.Append(CultureInfo.InvariantCulture, $"<h2 style=\"margin:0 0 8px\">{WebUtility.HtmlEncode(Title(report))}</h2>");
        text.Append(Title(report)).Append("\n\n");
        foreach (var (heading, columns, rows, empty) in sections)
        {
            text.Append(heading).Append('\n');
            html.Append(CultureInfo.InvariantCulture, $"<h3 style=\"margin:16px 0 4px\">{WebUtility.HtmlEncode(heading)}</h3>");
            if (rows.Count == 0)
            {
                text.Append("  ").Append(empty).Append("\n\n");
                html.Append(CultureInfo.InvariantCulture, $"<p>{WebUtility.HtmlEncode(empty)}</p>");
                continue;
            }

            html.Append("<table style=\"border-collapse:collapse\"><tr>");
            html.AppendJoin("", columns.Select(c => $"<th style=\"text-align:left;padding:2px 8px\">{WebUtility.HtmlEncode(c)}</th>"));
            html.Append("</tr>");
            foreach (var row in rows)
            {
                text.Append("  ").AppendJoin(" · ", row).Append('\n');
                html.Append("<tr>").AppendJoin("", row.Select(cell => $"<td style=\"padding:2px 8px\">{WebUtility.HtmlEncode(cell)}</td>")).Append("</tr>");
            }

            text.Append('\n');
            html.Append("</table>");
        }

        html.Append("</body></html>");
        return new MimeMessage
        {
            Subject = Title(report),
            Body = new BodyBuilder { TextBody = text.Append("-- \nCctvEdge").ToString(), HtmlBody = html.ToString() }.ToMessageBody(),
        };
    }

    private static string Title(DailyReport report) =>
        string.Create(CultureInfo.InvariantCulture, $"CctvEdge daily report {report.Day:yyyy-MM-dd}: {report.Events} events, {ByteSize.Format(report.ClipBytes)} of clips, {report.OfflineNodes.Count} nodes offline");

    private static List<(string Heading, string[] Columns, List<string[]> Rows, string Empty)> Sections(DailyReport report, TimeZoneInfo zone) =>
    [
        ("Cameras", ["Camera", "Events", "Highest peak", "Clips stored"],
            report.Cameras.Select(c => new[]
            {
                $"{c.CameraName} ({c.NodeName})",
                c.Events == 0 ? "none" : string.Join(", ", c.EventsByKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Value} {k.Key}")),
                c.Events == 0 ? "" : c.MaxPeak.ToString("0.###", CultureInfo.InvariantCulture),
                $"{c.Clips} · {ByteSize.Format(c.ClipBytes)}",
            }).ToList(),
            "No camera recorded an event or a clip."),
        ("Disks", ["Disk", "Free", "Grows by", "Full in"],
            report.Disks.Select(d => new[]
            {
                d.Disk.Name + (d.Disk.Low ? " (low)" : ""),
                $"{ByteSize.Format(d.Disk.FreeBytes)} of {ByteSize.Format(d.Disk.TotalBytes)}",
                d.DailyGrowthBytes is { } growth ? ByteSize.Format((long)growth) + "/day" : "not growing",
                d.DaysUntilFull is { } days ? days.ToString("0.#", CultureInfo.InvariantCulture) + " days" : "—",
            }).ToList(),
            "No disk reported."),
        ("Offline nodes", ["Node", "Last seen"],
            report.OfflineNodes.Select(n => new[] { n.Name, TimeZoneInfo.ConvertTime(n.LastSeen, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) }).ToList(),
            "Every node is online."),
        ("Readings", ["Series", "Min", "Max", "Mean", "Readings"],
            report.Readings.Select(r => new[]
            {
                $"{r.Name} · {r.CameraName} ({r.NodeName})",
                Value(r.Min, r.Unit),
                Value(r.Max, r.Unit),
                Value(r.Mean, r.Unit),
                r.Count.ToString(CultureInfo.InvariantCulture),
            }).ToList(),
            "No readings that day."),
    ];

    private static string Value(double value, string unit) => value.ToString("0.##", CultureInfo.InvariantCulture) + (unit.Length > 0 ? " " + unit : "");
}
