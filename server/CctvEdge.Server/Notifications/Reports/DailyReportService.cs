using System.Globalization;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Notifications.Channels;
using CctvEdge.Server.Notifications.Sending;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Web.Services;
using Dapper;

namespace CctvEdge.Server.Notifications.Reports;

/// <summary>
/// Sends yesterday's <see cref="DailyReport"/> to every e-mail channel with a <c>dailyReportAt</c> time, once that
/// time has passed today in the server's zone. The day sent is recorded per channel in the store, so a restart does
/// not send it again and a server that was down at report time sends it when it is back. The one window left: a crash
/// after the SMTP server took the message and before the record is written sends that day's report a second time.
/// </summary>
internal sealed partial class DailyReportService(
    ChannelStore channels,
    ChannelSecrets secrets,
    DailyReportQuery query,
    ServerDatabase database,
    TimeProvider clock,
    Leadership leadership,
    ILogger<DailyReportService> logger) : PeriodicService(clock, leadership, logger)
{
    public const string ReportSetting = "dailyReportAt";
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromHours(1);
    private readonly Dictionary<long, (DateTimeOffset At, TimeSpan Wait)> _retry = [];

    // One pass at a time, so two passes (the timer's and a caller's) cannot both find a report due and send it.
    private readonly SemaphoreSlim _pass = new(1, 1);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(30);

    protected override Task RunPassAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    /// <summary>Sends the reports that are due; returns how many went.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SendDueAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.Local);
        var sent = 0;
        foreach (var row in await channels.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (row.Kind != ChannelKinds.Email)
            {
                continue;
            }

            var channel = secrets.Config(row);
            if (!TimeOnly.TryParseExact(channel.Get(ReportSetting), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                || (_retry.TryGetValue(row.Id, out var retry) && retry.At > now))
            {
                continue;
            }

            // Yesterday's report is due once today's report time has passed; before that, the day before's still is.
            var today = DateOnly.FromDateTime(local.DateTime);
            var due = today.AddDays(TimeOnly.FromDateTime(local.DateTime) >= at ? -1 : -2);
            // A channel that never had one starts with yesterday's, not with the day before's from before it existed.
            var lastSent = await LastSentAsync(row.Id, cancellationToken).ConfigureAwait(false);
            if (lastSent >= due || (lastSent == DateOnly.MinValue && due < today.AddDays(-1)))
            {
                continue;
            }

            var error = await SendAsync(channel, due, cancellationToken).ConfigureAwait(false);
            if (error is null)
            {
                await RecordSentAsync(row.Id, due, cancellationToken).ConfigureAwait(false);
                _retry.Remove(row.Id);
                sent++;
                LogSent(logger, due, row.Name);
            }
            else
            {
                var wait = _retry.TryGetValue(row.Id, out var last) ? TimeSpan.FromTicks(Math.Min(last.Wait.Ticks * 2, LastRetry.Ticks)) : FirstRetry;
                _retry[row.Id] = (now + wait, wait);
                LogFailed(logger, due, row.Name, error);
            }
        }

        return sent;
    }

    /// <summary>Sends one day's report through one channel now (the API's "send report now"); null when it went, else why not.</summary>
    public async Task<string?> SendAsync(ChannelConfig channel, DateOnly day, CancellationToken cancellationToken)
    {
        if (channel.Kind != ChannelKinds.Email)
        {
            return $"Channel {channel.Name} is a {channel.Kind} channel; daily reports go by e-mail.";
        }

        string? error = null;
        try
        {
            var report = await query.BuildAsync(day, cancellationToken).ConfigureAwait(false);
            await SmtpMailer.SendAsync(channel, DailyReportEmail.Compose(report, TimeZoneInfo.Local), cancellationToken).ConfigureAwait(false);
        }
        catch (NotificationSendException ex)
        {
            error = ex.Message;
        }

        await channels.RecordAsync(channel.Id, error, cancellationToken).ConfigureAwait(false);
        return error;
    }

    /// <summary>Yesterday in the server's zone: the day a report sent now covers.</summary>
    public DateOnly Yesterday => LocalDay.Today(Clock).AddDays(-1);

    private static string Key(long channelId) => "report." + channelId.ToString(CultureInfo.InvariantCulture) + ".last_day";

    private async Task<DateOnly> LastSentAsync(long channelId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var value = await SettingsTable.ReadAsync(connection, Key(channelId)).ConfigureAwait(false);
        return value is null ? DateOnly.MinValue : DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private Task RecordSentAsync(long channelId, DateOnly day, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => SettingsTable.WriteAsync(connection, transaction, Key(channelId), day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            cancellationToken);

    [LoggerMessage(EventId = 85, Level = LogLevel.Information, Message = "Sent the daily report of {Day} to channel {Channel}")]
    private static partial void LogSent(ILogger logger, DateOnly day, string channel);

    [LoggerMessage(EventId = 86, Level = LogLevel.Warning, Message = "The daily report of {Day} could not be sent to channel {Channel}: {Error}")]
    private static partial void LogFailed(ILogger logger, DateOnly day, string channel, string error);
}
