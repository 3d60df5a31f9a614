using System.Net.Sockets;
using CctvEdge.Server.Notifications.Channels;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace CctvEdge.Server.Notifications.Sending;

/// <summary>
/// Sends one message through an e-mail channel's SMTP server with MailKit: STARTTLS, TLS or plain, sign-in when a
/// user name is set, and a server certificate the system trusts or whose SHA-256 the channel pins (a farm's own
/// relay often has a self-signed one). Every failure becomes a <see cref="NotificationSendException"/> that says
/// which step failed.
/// </summary>
internal static class SmtpMailer
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Sends <paramref name="message"/> from the channel's sender to its recipients; returns the server's answer.</summary>
    public static async Task<string> SendAsync(ChannelConfig channel, MimeMessage message, CancellationToken cancellationToken)
    {
        var host = channel.Get("host")!;
        var (security, usualPort) = EmailSecurity.Parse(channel.Get("security"))!.Value;
        var port = int.TryParse(channel.Get("port"), out var own) ? own : usualPort;
        message.From.Clear();
        message.From.AddRange(EmailAddresses.Parse(channel.Get("from")!)!);
        message.To.Clear();
        message.To.AddRange(EmailAddresses.Parse(channel.Get("to")!)!);
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        var pin = channel.Get("certificateSha256");
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) => CertificatePin.Trusted(certificate, errors, pin);
        var step = $"{host}:{port} could not be reached";
        try
        {
            await client.ConnectAsync(host, port, security, cancellationToken).ConfigureAwait(false);
            if (channel.Get("username") is { Length: > 0 } user)
            {
                step = $"{host} refused the sign-in";
                await client.AuthenticateAsync(user, channel.Get("password") ?? "", cancellationToken).ConfigureAwait(false);
            }

            step = $"{host} refused the message";
            var answer = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            return answer.Length > 200 ? answer[..200] : answer;
        }
        catch (SslHandshakeException ex)
        {
            throw new NotificationSendException(
                $"{host}:{port}: TLS failed; its certificate is not trusted here. Set certificateSha256 to {(pin is null ? "its" : "its current")} fingerprint if it is self-signed ({ex.Message.Split('\n')[0]})", ex);
        }
        catch (AuthenticationException ex)
        {
            throw new NotificationSendException($"{host} refused the user name or password: {ex.Message}", ex);
        }
        catch (SmtpCommandException ex)
        {
            throw new NotificationSendException($"{step}: {(int)ex.StatusCode} {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or SocketException or IOException or NotSupportedException or ServiceNotConnectedException or TimeoutException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new NotificationSendException($"{step}: {ex.Message}", ex);
        }
    }
}
