using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Testing;
using MimeKit;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>The e-mail channel against a real SMTP server on loopback: STARTTLS, sign-in, the picture inline, errors people can act on.</summary>
public sealed class EmailChannelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 9, 8, 7, 6, 0xFF, 0xD9];

    [Fact]
    public async Task Email_MatchingEvent_SentOnceOverStartTlsSignedIn_PictureInline_PasswordNeverShown()
    {
        await using var server = await InProcessServer.StartAsync("--Notifications:RetryBaseSeconds", "0.2", "--Notifications:IntervalSeconds", "0.2");
        await using var smtp = FakeSmtp.Start();
        var channel = await NotificationApi.CreateAsync(server, "/api/notification-channels", Channel("Farm mail", smtp, FakeSmtp.Password, smtp.CertificateSha256));
        await NotificationApi.CreateAsync(server, "/api/notification-rules", new { name = "Yard", cameras = new[] { "barn.yard" }, channels = new[] { channel } });
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        await node.SendAsync(NodeSessionClient.Snapshot("yard", Jpeg));
        await Task.Delay(500);

        await node.SendBatchAsync(NodeSessionClient.Event(1, "yard-1", DateTimeOffset.UtcNow));
        var mail = await Eventually.GetAsync(() => Task.FromResult(smtp.Received.FirstOrDefault()), Timeout, "the e-mail");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var eventId = (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/events"))!.Single().GetProperty("id").GetInt64();
        var listed = await NotificationApi.ChannelAsync(server, channel);

        Assert.Single(smtp.Received);
        Assert.Equal(FakeSmtp.User, mail.User);
        Assert.Equal(["farm@example.com", "vet@example.com"], mail.Recipients);
        Assert.Equal("cctv@example.com", mail.Message.From.Mailboxes.Single().Address);
        Assert.Equal($"Motion · YARD (Barn) #{eventId}", mail.Message.Subject);
        Assert.Contains("rule Yard", mail.Message.TextBody, StringComparison.Ordinal);
        var picture = Assert.Single(mail.Message.BodyParts.OfType<MimePart>(), p => p.ContentType.MimeType == "image/jpeg");
        Assert.Contains($"cid:{picture.ContentId}", mail.Message.HtmlBody, StringComparison.Ordinal);
        using var bytes = new MemoryStream();
        await picture.Content!.DecodeToAsync(bytes);
        Assert.Equal(Jpeg, bytes.ToArray());
        Assert.StartsWith("cctvedge-delivery-", mail.Message.MessageId, StringComparison.Ordinal);
        Assert.Equal(1, listed.GetProperty("sent").GetInt64());
        Assert.Equal(["password"], listed.GetProperty("secretsSet").EnumerateArray().Select(s => s.GetString()));
        Assert.DoesNotContain(FakeSmtp.Password, listed.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Email_WrongPasswordOrUntrustedCertificate_ClearErrorShown_AGoodChannelStillSends()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var smtp = FakeSmtp.Start();
        var wrongPassword = await NotificationApi.CreateAsync(server, "/api/notification-channels", Channel("Wrong password", smtp, "not-the-password", smtp.CertificateSha256));
        var unpinned = await NotificationApi.CreateAsync(server, "/api/notification-channels", Channel("Unpinned", smtp, FakeSmtp.Password, pin: null));
        var good = await NotificationApi.CreateAsync(server, "/api/notification-channels", Channel("Good", smtp, FakeSmtp.Password, smtp.CertificateSha256));
        var nobody = await NotificationApi.CreateAsync(server, "/api/notification-channels", new { name = "Nobody", kind = "email", settings = new { host = "127.0.0.1", port = FreePortNumber(), from = "cctv@example.com", to = "farm@example.com" } });

        var refusedSignIn = await NotificationApi.TestAsync(server, wrongPassword);
        var refusedCertificate = await NotificationApi.TestAsync(server, unpinned);
        var unreachable = await NotificationApi.TestAsync(server, nobody);
        var sent = await NotificationApi.TestAsync(server, good);
        var shown = await NotificationApi.ChannelAsync(server, wrongPassword);

        Assert.Contains("refused the user name or password", refusedSignIn, StringComparison.Ordinal);
        Assert.Contains("certificate is not trusted", refusedCertificate, StringComparison.Ordinal);
        Assert.Contains("could not be reached", unreachable, StringComparison.Ordinal);
        Assert.Null(sent);
        Assert.Equal("CctvEdge test message", Assert.Single(smtp.Received).Message.Subject);
        Assert.Equal(refusedSignIn, shown.GetProperty("lastError").GetString());
    }

    private static object Channel(string name, FakeSmtp smtp, string password, string? pin) => new
    {
        name,
        kind = "email",
        settings = new Dictionary<string, object?>
        {
            ["host"] = "127.0.0.1",
            ["port"] = smtp.Port,
            ["security"] = "starttls",
            ["username"] = FakeSmtp.User,
            ["password"] = password,
            ["from"] = "CctvEdge <cctv@example.com>",
            ["to"] = "farm@example.com, Vet <vet@example.com>",
            ["certificateSha256"] = pin,
        },
    };

    private static int FreePortNumber() => CctvEdge.Harness.FreePort.Next();
}
