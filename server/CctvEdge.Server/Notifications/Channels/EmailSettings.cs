using MailKit.Security;
using MimeKit;

namespace CctvEdge.Server.Notifications.Channels;

/// <summary>The e-mail channel's <c>security</c> setting, as MailKit connects with it.</summary>
internal static class EmailSecurity
{
    public const string StartTls = "starttls";

    /// <summary>MailKit's option and the usual port for a setting; null when the setting is not one of ours.</summary>
    public static (SecureSocketOptions Options, int Port)? Parse(string? value) => (value ?? StartTls) switch
    {
        StartTls => (SecureSocketOptions.StartTls, 587),
        "tls" => (SecureSocketOptions.SslOnConnect, 465),
        "none" => (SecureSocketOptions.None, 25),
        _ => null,
    };
}

/// <summary>Checks and reads the e-mail channel's address settings (MimeKit's parser, so what passes here sends).</summary>
internal static class EmailAddresses
{
    /// <summary>What is wrong with a comma-separated list of at most <paramref name="max"/> plain addresses, or null.</summary>
    public static string? Problem(string value, int max)
    {
        var list = Parse(value);
        if (list is null || list.Count == 0)
        {
            return $"must be {(max == 1 ? "an e-mail address" : "e-mail addresses separated by commas")}, e.g. farm@example.com (was '{value}').";
        }

        return list.Count > max ? $"must have at most {max} address{(max == 1 ? "" : "es")} (had {list.Count})." : null;
    }

    /// <summary>The addresses, or null when the text does not parse or holds anything but plain mailboxes.</summary>
    public static IReadOnlyList<MailboxAddress>? Parse(string value)
    {
        if (value.Length > 2000 || !InternetAddressList.TryParse(value, out var list))
        {
            return null;
        }

        var mailboxes = list.OfType<MailboxAddress>().ToList();
        return mailboxes.Count == list.Count && mailboxes.All(m => m.Address.Contains('@', StringComparison.Ordinal) && m.Domain.Length > 0) ? mailboxes : null;
    }
}
