using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Cameras.Push;

/// <summary>
/// The <c>Push</c> section: the node's HTTP endpoint for cameras that upload their pictures
/// (<c>POST /cameras/{id}/images</c>), and the size limit of a picture, by HTTP or in an inbox.
/// </summary>
internal sealed class PushOptions : LocalEndpointOptions
{
    public const string Section = "Push";

    /// <summary>Where it listens: every interface by default, since the cameras are on the site's LAN.</summary>
    public override string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>The largest picture taken; larger ones are refused (HTTP 413) or deleted from the inbox.</summary>
    public int MaxImageBytes { get; set; } = 10 * 1024 * 1024;
}

internal sealed class PushOptionsValidator : IValidateOptions<PushOptions>
{
    public ValidateOptionsResult Validate(string? name, PushOptions options)
    {
        var errors = new List<string>();
        options.ValidateListener(PushOptions.Section, errors);

        if (options.MaxImageBytes is < 1024 or > 100 * 1024 * 1024)
        {
            errors.Add($"Push:MaxImageBytes must be between 1024 and 104857600 (was {options.MaxImageBytes}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
