using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using CctvEdge.Harness;
using MQTTnet;
using MQTTnet.Protocol;

namespace CctvEdge.Testing;

/// <summary>
/// Debian's mosquitto on 127.0.0.1 with a password file, as a farm's Home Assistant broker is set up. It can be
/// stopped and started again on the same port, to play a broker that goes away.
/// </summary>
public sealed class MosquittoBroker : LoopbackDaemon
{
    public const string User = "cctvedge";
    public const string Password = "mqtt-password-0123";

    private MosquittoBroker()
        : base("mosquitto")
    {
    }

    public static Task<MosquittoBroker> StartAsync() => StartAsync(new MosquittoBroker(), b => b.ConfigureAsync());

    /// <summary>Writes the password file (mosquitto_passwd) and the configuration: this port on loopback, no anonymous clients.</summary>
    private async Task ConfigureAsync()
    {
        var passwords = Directory.Combine("passwords");
        await using (var passwd = ChildProcess.Start("mosquitto_passwd", "/usr/bin/mosquitto_passwd", ["-b", "-c", passwords, User, Password], Directory.Path))
        {
            if (await passwd.WaitForExitAsync(TimeSpan.FromSeconds(20)) != 0)
            {
                throw new InvalidOperationException("mosquitto_passwd failed: " + passwd.Output);
            }
        }

        // Logged to stderr: mosquitto buffers stdout into a pipe, and the start line would not come in time.
        await File.WriteAllTextAsync(Directory.Combine("mosquitto.conf"), string.Create(CultureInfo.InvariantCulture, $"""
            listener {Port} 127.0.0.1
            allow_anonymous false
            password_file {passwords}
            persistence false
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information

            """));
    }

    /// <summary>Retained messages go with a stop (no persistence).</summary>
    protected override (ChildProcess Process, string ReadyLine) Launch() =>
        (ChildProcess.Start("mosquitto", "/usr/sbin/mosquitto", ["-c", Directory.Combine("mosquitto.conf")], Directory.Path), "mosquitto version .* running");

    /// <summary>A client that records every message published under <paramref name="filter"/>, retained ones included.</summary>
    public async Task<MqttWatcher> WatchAsync(string filter = "#")
    {
        var watcher = new MqttWatcher(new MqttClientFactory().CreateMqttClient());
        await watcher.ConnectAsync(Port, filter);
        return watcher;
    }
}

/// <summary>One message as a subscriber got it.</summary>
public sealed record MqttReceived(string Topic, byte[] Payload, bool Retained, DateTimeOffset At)
{
    public string Text => Encoding.UTF8.GetString(Payload);
}

/// <summary>A subscriber that keeps what it gets, for a test to look through.</summary>
public sealed class MqttWatcher(IMqttClient client) : IAsyncDisposable
{
    public ConcurrentQueue<MqttReceived> Received { get; } = new();

    /// <summary>The last message on <paramref name="topic"/>, or null.</summary>
    public MqttReceived? Latest(string topic) => Received.LastOrDefault(m => m.Topic == topic);

    public IEnumerable<MqttReceived> On(string topic) => Received.Where(m => m.Topic == topic);

    internal async Task ConnectAsync(int port, string filter)
    {
        client.ApplicationMessageReceivedAsync += e =>
        {
            Received.Enqueue(new MqttReceived(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ApplicationMessage.Retain, DateTimeOffset.UtcNow));
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("test-watcher-" + Guid.NewGuid().ToString("N"))
            .WithCredentials(MosquittoBroker.User, MosquittoBroker.Password).Build();
        await client.ConnectAsync(options);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
    }

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        }

        client.Dispose();
    }
}
