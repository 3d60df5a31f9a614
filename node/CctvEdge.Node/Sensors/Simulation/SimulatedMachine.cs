using System.Numerics;

namespace CctvEdge.Node.Sensors.Simulation;

/// <summary>
/// What an accelerometer on a farm machine feels: gravity on Z, a faint 50 Hz hum, and every
/// <see cref="BurstPeriodSeconds"/> a burst of <see cref="BurstSeconds"/> at <see cref="BurstHertz"/> (a pump starting,
/// a gate slammed), so the demo shows vibration events.
/// </summary>
internal static class SimulatedMachine
{
    public const double BurstPeriodSeconds = 90;
    public const double BurstSeconds = 8;
    public const double BurstHertz = 23;
    public const double BurstAmplitudeG = 0.4;

    public static Vector3 Acceleration(DateTimeOffset at)
    {
        var t = at.ToUnixTimeMilliseconds() / 1000.0;
        var hum = 0.01 * Math.Sin(2 * Math.PI * 50 * t);
        var burst = t % BurstPeriodSeconds < BurstSeconds ? BurstAmplitudeG * Math.Sin(2 * Math.PI * BurstHertz * t) : 0;
        return new Vector3((float)(burst + hum), (float)(burst / 2), (float)(1 + hum));
    }
}
