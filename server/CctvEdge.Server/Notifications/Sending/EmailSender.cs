using System.Globalization;
using System.Net;
using CctvEdge.Server.Notifications.Channels;
using MimeKit;

namespace CctvEdge.Server.Notifications.Sending;

/// <summary>
/// E-mails an event: a subject with the kind, camera and short id; plain text and HTML bodies with the caption; the
/// camera's picture inline in the HTML. The Message-Id is the delivery's, so a mail system that sees the rare repeat
/// (a crash between the server's answer and our record of it) can tell.
/// </summary>
internal sealed class EmailSender : INotificationSender
{
    public string Kind => ChannelKinds.Email;

    public bool SendsPicture => true;

    public Task<string> SendAsync(ChannelConfig channel, NotificationMessage message, CancellationToken cancellationToken) =>
        SmtpMailer.SendAsync(channel, Compose(message, TimeZoneInfo.Local), cancellationToken);

    internal static MimeMessage Compose(NotificationMessage message, TimeZoneInfo zone)
    {
        var caption = message.Caption(zone);
        var lines = caption.Split('\n');
        var body = new BodyBuilder { TextBody = caption + "\n\n-- \nCctvEdge" };
        var html = string.Concat(lines.Select(l => $"<p style=\"margin:0 0 4px\">{WebUtility.HtmlEncode(l)}</p>"));
        if (message.Jpeg is { } jpeg)
        {
            var picture = body.LinkedResources.Add("snapshot.jpg", jpeg, new ContentType("image", "jpeg"));
            picture.ContentId = MimeKit.Utils.MimeUtils.GenerateMessageId();
            html += $"<p><img src=\"cid:{picture.ContentId}\" alt=\"{WebUtility.HtmlEncode(message.CameraName)}\" style=\"max-width:100%\"></p>";
        }

        body.HtmlBody = $"<!DOCTYPE html><html><body style=\"font-family:sans-serif\">{html}</body></html>";
        var mail = new MimeMessage
        {
            Subject = message.IsTest ? "CctvEdge test message" : lines[0] + " " + message.ShortId,
            Body = body.ToMessageBody(),
        };
        if (!message.IsTest)
        {
            mail.MessageId = $"cctvedge-delivery-{message.DeliveryId.ToString(CultureInfo.InvariantCulture)}@{Dns.GetHostName()}";
        }

        return mail;
    }
}
