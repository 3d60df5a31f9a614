namespace CctvEdge.Node.Sensors.Simulation;

/// <summary>
/// A Bosch BME280 (or, with <paramref name="humidity"/> false, a BMP280) at register level: chip id at 0xD0, the
/// factory calibration words at 0x88-0xA1 and 0xE1-0xE7 (typical values of a real part), and raw ADC readings at
/// 0xF7-0xFE that the datasheet's compensation formulas turn back into <paramref name="climate"/>'s values. The
/// binding under test does that compensation itself, so a reading proves the whole path: calibration, raw registers,
/// formulas.
/// </summary>
internal sealed class SimulatedBme280(int busId, int address, TimeProvider clock, Func<DateTimeOffset, Climate> climate, bool humidity = true)
    : SimulatedRegisterDevice(busId, address)
{
    private const byte ChipIdRegister = 0xD0;
    private const byte DataStart = 0xF7;

    // Calibration of a real BME280 (datasheet example values for T and P; H from a shipped part).
    private const int T1 = 27504, T2 = 26435, T3 = -1000;
    private const int P1 = 36477, P2 = -10685, P3 = 3024, P4 = 2855, P5 = 140, P6 = -7, P7 = 15500, P8 = -14600, P9 = 6000;
    private const int H1 = 75, H2 = 362, H3 = 0, H4 = 313, H5 = 50, H6 = 30;

    private bool _calibrated;

    protected override void Refresh(byte register)
    {
        if (!_calibrated)
        {
            Calibrate();
        }

        if (register < DataStart)
        {
            return;
        }

        var now = climate(clock.GetUtcNow());
        var adcT = Search(0, (1 << 20) - 1, adc => Temperature(adc).Celsius, now.TemperatureCelsius, increasing: true);
        var tFine = Temperature(adcT).Fine;
        var adcP = Search(0, (1 << 20) - 1, adc => Pressure(adc, tFine) / 100, now.PressureHectopascals, increasing: false);
        Put20(DataStart, adcP);
        Put20(0xFA, adcT);
        if (humidity)
        {
            var adcH = Search(0, 65535, adc => Humidity(adc, tFine), now.HumidityPercent, increasing: true);
            Registers[0xFD] = (byte)(adcH >> 8);
            Registers[0xFE] = (byte)(adcH & 0xFF);
        }
    }

    private void Calibrate()
    {
        Registers[ChipIdRegister] = humidity ? (byte)0x60 : (byte)0x58;
        int[] words = [T1, T2, T3, P1, P2, P3, P4, P5, P6, P7, P8, P9];
        for (var i = 0; i < words.Length; i++)
        {
            WriteUInt16LittleEndian(Registers, 0x88 + (2 * i), words[i]);
        }

        Registers[0xA1] = H1;
        WriteUInt16LittleEndian(Registers, 0xE1, H2);
        Registers[0xE3] = H3;
        // H4 and H5 are 12-bit values sharing register 0xE5's two nibbles.
        Registers[0xE4] = (byte)(H4 >> 4);
        Registers[0xE5] = (byte)((H4 & 0x0F) | ((H5 & 0x0F) << 4));
        Registers[0xE6] = (byte)(H5 >> 4);
        Registers[0xE7] = H6;
        _calibrated = true;
    }

    private void Put20(int at, int adc)
    {
        Registers[at] = (byte)(adc >> 12);
        Registers[at + 1] = (byte)((adc >> 4) & 0xFF);
        Registers[at + 2] = (byte)((adc & 0x0F) << 4);
    }

    /// <summary>The ADC value whose compensated output is nearest <paramref name="target"/> (the formulas are monotonic).</summary>
    private static int Search(int low, int high, Func<int, double> output, double target, bool increasing)
    {
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            var below = increasing ? output(middle) < target : output(middle) > target;
            if (below)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    // The datasheet's floating-point compensation formulas (BME280 datasheet, section 8.1).
    private static (double Celsius, int Fine) Temperature(int adc)
    {
        var var1 = ((adc / 16384.0) - (T1 / 1024.0)) * T2;
        var var2 = ((adc / 131072.0) - (T1 / 8192.0)) * ((adc / 131072.0) - (T1 / 8192.0)) * T3;
        return ((var1 + var2) / 5120.0, (int)(var1 + var2));
    }

    private static double Pressure(int adc, int tFine)
    {
        var var1 = (tFine / 2.0) - 64000.0;
        var var2 = var1 * var1 * P6 / 32768.0;
        var2 += var1 * P5 * 2.0;
        var2 = (var2 / 4.0) + (P4 * 65536.0);
        var1 = ((P3 * var1 * var1 / 524288.0) + (P2 * var1)) / 524288.0;
        var1 = (1.0 + (var1 / 32768.0)) * P1;
        var p = 1048576.0 - adc;
        p = (p - (var2 / 4096.0)) * 6250.0 / var1;
        var1 = P9 * p * p / 2147483648.0;
        var2 = p * P8 / 32768.0;
        return p + ((var1 + var2 + P7) / 16.0);
    }

    private static double Humidity(int adc, int tFine)
    {
        var h = tFine - 76800.0;
        h = (adc - ((H4 * 64.0) + (H5 / 16384.0 * h))) * (H2 / 65536.0 * (1.0 + (H6 / 67108864.0 * h * (1.0 + (H3 / 67108864.0 * h)))));
        return h * (1.0 - (H1 * h / 524288.0));
    }
}
