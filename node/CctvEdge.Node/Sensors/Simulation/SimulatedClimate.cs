namespace CctvEdge.Node.Sensors.Simulation;

/// <summary>What a simulated climate sensor measures at a moment.</summary>
internal readonly record struct Climate(double TemperatureCelsius, double HumidityPercent, double PressureHectopascals)
{
    /// <summary>
    /// A barn's day: coolest before dawn, warmest mid-afternoon (12 ± 6 °C), humidity moving the other way, pressure
    /// drifting slowly over three days. Smooth, so a chart of the demo looks like weather.
    /// </summary>
    public static Climate DailyCurve(DateTimeOffset at)
    {
        var hour = at.TimeOfDay.TotalHours;
        var day = Math.Sin(2 * Math.PI * (hour - 9) / 24);
        var days = at.ToUnixTimeSeconds() / 86400.0;
        return new Climate(12 + (6 * day), 70 - (15 * day), 1013 + (4 * Math.Sin(2 * Math.PI * days / 3)));
    }
}
