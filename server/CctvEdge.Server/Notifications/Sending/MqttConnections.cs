using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using CctvEdge.Server.Notifications.Channels;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace CctvEdge.Server.Notifications.Sending;

/// <summary>
/// One MQTT connection per MQTT channel (MQTTnet), shared by the event sender and the state bridge, so the broker
/// sees one client per channel. A connection announces <c>{prefix}/available</c> "online" (retained) and leaves
/// "offline" as its will, so subscribers see the server go away even when it dies. A changed setting or a lost
/// connection makes a new one; its <see cref="MqttLink.Generation"/> tells the bridge to publish its state again.
/// </summary>
internal sealed partial class MqttConnections(ILogger<MqttConnections> logger) : IAsyncDisposable
{
    public const string Online = "online";
    public const string Offline = "offline";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<long, MqttLink> _links = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _generations;

    /// <summary>The channel's topic prefix: <c>topicPrefix</c>, or cctvedge.</summary>
    public static string Prefix(ChannelConfig channel) => channel.Get("topicPrefix") ?? "cctvedge";

    /// <summary>The channel's connection, made (again) when there is none, it dropped, or its settings changed.</summary>
    public async Task<MqttLink> ConnectAsync(ChannelConfig channel, CancellationToken cancellationToken)
    {
        var key = Key(channel);
        if (_links.TryGetValue(channel.Id, out var link) && link.Key == key && link.Client.IsConnected)
        {
            return link;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_links.TryGetValue(channel.Id, out link))
            {
                if (link.Key == key && link.Client.IsConnected)
                {
                    return link;
                }

                _links.TryRemove(channel.Id, out _);
                await CloseAsync(link).ConfigureAwait(false);
            }

            link = new MqttLink(new MqttClientFactory().CreateMqttClient(), key, Interlocked.Increment(ref _generations), Prefix(channel));
            try
            {
                // A refusal (a wrong password, a banned client) is an answer, not an exception, in MQTTnet 5.
                var connected = await link.Client.ConnectAsync(Options(channel), cancellationToken).ConfigureAwait(false);
                if (connected.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new NotificationSendException($"The broker {Broker(channel)} refused the connection: {connected.ResultCode} {connected.ReasonString}".TrimEnd());
                }

                await PublishAsync(link, Prefix(channel) + "/available", Encoding.UTF8.GetBytes(Online), retain: true, channel, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                link.Client.Dispose();
                throw;
            }

            _links[channel.Id] = link;
            LogConnected(logger, channel.Name, link.Generation);
            return link;
        }
        catch (Exception ex) when (Describe(ex, channel) is { } reason)
        {
            throw new NotificationSendException(reason, ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Publishes at QoS 1 and waits for the broker's acknowledgement; throws <see cref="NotificationSendException"/> when it does not come.</summary>
    public async Task PublishAsync(ChannelConfig channel, string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var link = await ConnectAsync(channel, cancellationToken).ConfigureAwait(false);
        try
        {
            await PublishAsync(link, topic, payload, retain, channel, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Describe(ex, channel) is { } reason)
        {
            // The next publish connects afresh rather than trying a connection that just failed.
            if (_links.TryRemove(new KeyValuePair<long, MqttLink>(channel.Id, link)))
            {
                await CloseAsync(link).ConfigureAwait(false);
            }

            throw new NotificationSendException(reason, ex);
        }
    }

    /// <summary>Ends a channel's connection (the channel was deleted or is no longer MQTT), saying "offline" first.</summary>
    public async Task DropAsync(long channelId)
    {
        if (_links.TryRemove(channelId, out var link))
        {
            await CloseAsync(link).ConfigureAwait(false);
        }
    }

    /// <summary>The channels with a connection now.</summary>
    public IReadOnlyCollection<long> Connected => _links.Keys.ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _links.Keys)
        {
            await DropAsync(id).ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private static async Task PublishAsync(MqttLink link, string topic, byte[] payload, bool retain, ChannelConfig channel, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var result = await link.Client.PublishAsync(message, timeout.Token).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new NotificationSendException($"The broker {channel.Get("host")} refused {topic}: {result.ReasonCode} {result.ReasonString}".TrimEnd());
        }
    }

    private async Task CloseAsync(MqttLink link)
    {
        try
        {
            if (link.Client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var offline = new MqttApplicationMessageBuilder().WithTopic(link.Prefix + "/available").WithPayload(Offline)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(true).Build();
                await link.Client.PublishAsync(offline, timeout.Token).ConfigureAwait(false);
                await link.Client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or SocketException)
        {
            // Closing a connection that is already going: the broker publishes the will instead.
            LogCloseFailed(logger, ex.Message);
        }
        finally
        {
            link.Client.Dispose();
        }
    }

    private static MqttClientOptions Options(ChannelConfig channel)
    {
        var tls = channel.Get("security") == "tls";
        var port = int.TryParse(channel.Get("port"), out var own) ? own : tls ? 8883 : 1883;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(channel.Get("host"), port)
            .WithClientId($"cctvedge-server-{Environment.MachineName}-{channel.Id}")
            .WithCleanSession()
            .WithTimeout(Timeout)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithWillTopic(Prefix(channel) + "/available")
            .WithWillPayload(Offline)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (channel.Get("username") is { Length: > 0 } user)
        {
            builder.WithCredentials(user, channel.Get("password") ?? "");
        }

        if (tls)
        {
            var pin = channel.Get("certificateSha256");
            builder.WithTlsOptions(o => o.UseTls().WithCertificateValidationHandler(e => CertificatePin.Trusted(e.Certificate, e.SslPolicyErrors, pin)));
        }

        return builder.Build();
    }

    /// <summary>Everything that makes a connection different: a change to any of it reconnects.</summary>
    private static string Key(ChannelConfig channel) =>
        string.Join('\n', new[] { "host", "port", "security", "username", "password", "topicPrefix", "certificateSha256" }.Select(channel.Get));

    /// <summary>What went wrong, in words, for the failures a broker or the network cause; null for anything else.</summary>
    private static string? Describe(Exception ex, ChannelConfig channel)
    {
        var broker = Broker(channel);
        return ex switch
        {
            NotificationSendException => ex.Message,
            MqttConnectingFailedException refused => $"The broker {broker} refused the connection: {refused.Message}",
            MqttCommunicationException or SocketException => $"The broker {broker} could not be reached: {ex.Message}",
            OperationCanceledException => $"The broker {broker} did not answer in time.",
            _ => null,
        };
    }

    private static string Broker(ChannelConfig channel) => $"{channel.Get("host")}:{channel.Get("port") ?? (channel.Get("security") == "tls" ? "8883" : "1883")}";

    [LoggerMessage(EventId = 87, Level = LogLevel.Information, Message = "MQTT channel {Channel} connected (connection {Generation})")]
    private static partial void LogConnected(ILogger logger, string channel, int generation);

    [LoggerMessage(EventId = 88, Level = LogLevel.Debug, Message = "Closing an MQTT connection failed: {Error}")]
    private static partial void LogCloseFailed(ILogger logger, string error);
}

/// <summary>A channel's live connection; a new connection has a new generation.</summary>
internal sealed record MqttLink(IMqttClient Client, string Key, int Generation, string Prefix);
