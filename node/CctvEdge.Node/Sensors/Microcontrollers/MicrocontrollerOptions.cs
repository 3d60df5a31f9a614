using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Sensors.Microcontrollers;

/// <summary>
/// The <c>Microcontroller</c> section: the node's HTTP endpoint for small boards (an ESP32 with a vibration or climate
/// sensor) that post their readings over Wi-Fi: <c>POST /input</c> and <c>GET /output</c>.
/// </summary>
internal sealed class MicrocontrollerOptions : LocalEndpointOptions
{
    public const string Section = "Microcontroller";

    /// <summary>Where it listens: every interface by default, since the boards are on the farm's Wi-Fi.</summary>
    public override string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Take readings from devices that are not in <c>Sensors</c> (their id becomes the sensor id).</summary>
    public bool AcceptUnknown { get; set; }

    /// <summary>The largest request body taken; a board's reading is a few hundred bytes.</summary>
    public int MaxBodyBytes { get; set; } = 16 * 1024;

    /// <summary>The most values one post may carry.</summary>
    public int MaxValues { get; set; } = 32;
}

internal sealed class MicrocontrollerOptionsValidator : IValidateOptions<MicrocontrollerOptions>
{
    public ValidateOptionsResult Validate(string? name, MicrocontrollerOptions options)
    {
        var errors = new List<string>();
        options.ValidateListener(MicrocontrollerOptions.Section, errors);

        if (options.MaxBodyBytes is < 256 or > 1024 * 1024)
        {
            errors.Add($"Microcontroller:MaxBodyBytes must be between 256 and 1048576 (was {options.MaxBodyBytes}).");
        }

        if (options.MaxValues is < 1 or > 1000)
        {
            errors.Add($"Microcontroller:MaxValues must be between 1 and 1000 (was {options.MaxValues}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
