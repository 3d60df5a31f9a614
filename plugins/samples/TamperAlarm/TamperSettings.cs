using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace TamperAlarm;

/// <summary>Settings per camera (<c>Cameras:N:Plugins:tamper-alarm</c> in the node's config); every value has a default.</summary>
public sealed class TamperSettings
{
    [Range(0, 255)]
    [Description("Mean brightness (0-255) below which the picture counts as dark.")]
    public double DarkBelow { get; set; } = 12;

    [Range(0, 255)]
    [Description("Mean difference between neighbouring pixels below which the picture counts as featureless.")]
    public double FlatBelow { get; set; } = 1.5;

    [Range(0.5, 600)]
    [Description("Seconds the picture must stay dark or featureless before the tamper event opens.")]
    public double HoldSeconds { get; set; } = 3;

    [Range(1, 3600)]
    [Description("Seconds between published brightness values.")]
    public double IntervalSeconds { get; set; } = 1;
}
