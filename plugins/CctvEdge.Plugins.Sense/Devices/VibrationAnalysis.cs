using System.Numerics;

namespace CctvEdge.Plugins.Sense.Devices;

/// <summary>One second of vibration: how strong (RMS and peak, in g, gravity and tilt removed) and at what frequency.</summary>
internal readonly record struct VibrationSecond(double Rms, double Peak, double Frequency, Vector3 Mean, int Samples);

/// <summary>
/// Per-second vibration figures from evenly spaced accelerometer samples. The steady part (gravity, the mounting's
/// tilt) is the window's mean and is removed first. The dominant frequency is the strongest bin of the window's
/// discrete Fourier transform, summed over the three axes; the bins are computed with the Goertzel recurrence, which
/// for the few hundred samples of a second costs about what an FFT would and needs no buffers.
/// </summary>
internal static class VibrationAnalysis
{
    /// <summary>Below this RMS (g) the spectrum is sensor noise and no frequency is reported.</summary>
    public const double NoiseFloor = 0.0005;

    public static VibrationSecond Analyze(ReadOnlySpan<Vector3> samples, double seconds)
    {
        var n = samples.Length;
        if (n < 4 || seconds <= 0)
        {
            return new VibrationSecond(0, 0, 0, n > 0 ? samples[0] : Vector3.Zero, n);
        }

        var sum = Vector3.Zero;
        foreach (var s in samples)
        {
            sum += s;
        }

        var mean = sum / n;
        double sumSquares = 0, peak = 0;
        foreach (var s in samples)
        {
            var squared = (double)(s - mean).LengthSquared();
            sumSquares += squared;
            peak = Math.Max(peak, Math.Sqrt(squared));
        }

        var rms = Math.Sqrt(sumSquares / n);
        var frequency = rms < NoiseFloor ? 0 : DominantBin(samples, mean) / seconds;
        return new VibrationSecond(rms, peak, frequency, mean, n);
    }

    /// <summary>The DFT bin (cycles per window, 1..n/2) with the most power over the three axes.</summary>
    private static int DominantBin(ReadOnlySpan<Vector3> samples, Vector3 mean)
    {
        var n = samples.Length;
        int best = 0;
        double bestPower = 0;
        for (var k = 1; k <= n / 2; k++)
        {
            var coefficient = 2 * Math.Cos(2 * Math.PI * k / n);
            double x1 = 0, x2 = 0, y1 = 0, y2 = 0, z1 = 0, z2 = 0;
            foreach (var raw in samples)
            {
                var s = raw - mean;
                var x0 = s.X + (coefficient * x1) - x2;
                x2 = x1;
                x1 = x0;
                var y0 = s.Y + (coefficient * y1) - y2;
                y2 = y1;
                y1 = y0;
                var z0 = s.Z + (coefficient * z1) - z2;
                z2 = z1;
                z1 = z0;
            }

            var power = Power(x1, x2, coefficient) + Power(y1, y2, coefficient) + Power(z1, z2, coefficient);
            if (power > bestPower)
            {
                bestPower = power;
                best = k;
            }
        }

        return best;
    }

    private static double Power(double s1, double s2, double coefficient) => (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
}
