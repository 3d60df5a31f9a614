using System.Net;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Cameras.Push;

/// <summary>
/// The <c>Push</c> section: the node's HTTP endpoint for cameras that upload their pictures
/// (<c>POST /cameras/{id}/images</c>), and the size limit of a picture, by HTTP or in an inbox.
/// </summary>
internal sealed class PushOptions
{
    public const string Section = "Push";

    /// <summary>The endpoint's port; 0 (the default) serves nothing (the inbox folders are watched all the same).</summary>
    public int Port { get; set; }

    /// <summary>Where it listens: every interface by default, since the cameras are on the site's LAN.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>The largest picture taken; larger ones are refused (HTTP 413) or deleted from the inbox.</summary>
    public int MaxImageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The host of the HttpListener prefix.</summary>
    public string ListenerHost => Node.ListenerHost.For(BindAddress);
}

internal sealed class PushOptionsValidator : IValidateOptions<PushOptions>
{
    public ValidateOptionsResult Validate(string? name, PushOptions options)
    {
        var errors = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"Push:Port must be 0 (off) or a port from 1 to 65535 (was {options.Port}).");
        }

        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            errors.Add($"Push:BindAddress must be an IP address such as 0.0.0.0 or 127.0.0.1 (was '{options.BindAddress}').");
        }

        if (options.MaxImageBytes is < 1024 or > 100 * 1024 * 1024)
        {
            errors.Add($"Push:MaxImageBytes must be between 1024 and 104857600 (was {options.MaxImageBytes}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
