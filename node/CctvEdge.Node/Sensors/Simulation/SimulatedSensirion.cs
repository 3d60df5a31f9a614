using System.Device.I2c;

namespace CctvEdge.Node.Sensors.Simulation;

/// <summary>
/// A Sensirion SHT3x or SHT4x humidity sensor, which speaks commands rather than registers: a single-shot
/// measurement (SHT3x 0x2C06 and its other repeatabilities, SHT4x 0xFD/0xF6/0xE0) is answered by six bytes,
/// temperature then humidity, each big-endian with its CRC-8, encoded from <paramref name="climate"/> with each
/// family's formula. <see cref="CorruptNext"/> spoils one answer's CRC, as a long cable does.
/// </summary>
internal sealed class SimulatedSensirion(int busId, int address, TimeProvider clock, Func<DateTimeOffset, Climate> climate)
    : SimulatedRegisterDevice(busId, address)
{
    private bool _sht4x;

    /// <summary>Set to flip a bit of the next answer's temperature CRC.</summary>
    public bool CorruptNext { get; set; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Check();
        if (!buffer.IsEmpty)
        {
            // SHT4x commands are one byte; SHT3x commands two, the first 0x2C or 0x24 for a single shot.
            _sht4x = buffer.Length == 1;
        }
    }

    public override void Read(Span<byte> buffer)
    {
        Check();
        var now = climate(clock.GetUtcNow());
        var temperature = (ushort)Math.Clamp(Math.Round((now.TemperatureCelsius + 45) * 65535 / 175), 0, 65535);
        var humidity = (ushort)Math.Clamp(Math.Round(_sht4x ? (now.HumidityPercent + 6) * 65535 / 125 : now.HumidityPercent * 65535 / 100), 0, 65535);
        Span<byte> answer = [(byte)(temperature >> 8), (byte)temperature, 0, (byte)(humidity >> 8), (byte)humidity, 0];
        answer[2] = SensirionCrc(answer[..2]);
        answer[5] = SensirionCrc(answer[3..5]);
        if (CorruptNext)
        {
            answer[2] ^= 0x01;
            CorruptNext = false;
        }

        answer[..Math.Min(6, buffer.Length)].CopyTo(buffer);
    }

    protected override void Refresh(byte register)
    {
    }

    /// <summary>CRC-8, polynomial 0x31, initial 0xFF (the datasheets' checksum).</summary>
    private static byte SensirionCrc(ReadOnlySpan<byte> data)
    {
        byte crc = 0xFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80) != 0 ? (byte)((crc << 1) ^ 0x31) : (byte)(crc << 1);
            }
        }

        return crc;
    }
}
