using System.Device.Spi;
using System.Numerics;

namespace CctvEdge.Node.Sensors.Simulation;

/// <summary>
/// An Analog Devices ADXL345 accelerometer on SPI at register level: a transfer's first byte is the register with
/// the read (0x80) and multi-byte (0x40) bits; DEVID (0x00) answers 0xE5; DATA_FORMAT (0x31) sets the range; DATAX0 to
/// DATAZ1 (0x32-0x37) hold <paramref name="acceleration"/> (g) as little-endian counts at that range. With
/// <paramref name="absent"/>, nothing is wired to the chip select: every transfer reads zeros, as on a real bus.
/// </summary>
internal sealed class SimulatedAdxl345(int busId, int chipSelect, TimeProvider clock, Func<DateTimeOffset, Vector3> acceleration, bool absent = false) : SpiDevice
{
    private const byte DataFormat = 0x31;
    private const byte DataStart = 0x32;
    private readonly byte[] _registers = CreateRegisters();

    public override SpiConnectionSettings ConnectionSettings { get; } = new(busId, chipSelect);

    public override byte ReadByte() => throw new NotSupportedException("the ADXL345 answers only within a transfer");

    public override void Read(Span<byte> buffer) => buffer.Clear();

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < 2)
        {
            return;
        }

        var register = buffer[0] & 0x3F;
        foreach (var value in buffer[1..])
        {
            _registers[register++ & 0x3F] = value;
        }
    }

    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        readBuffer.Clear();
        if (absent)
        {
            return;
        }

        if (writeBuffer.IsEmpty || (writeBuffer[0] & 0x80) == 0)
        {
            Write(writeBuffer);
            return;
        }

        var register = writeBuffer[0] & 0x3F;
        if (register <= DataStart + 5)
        {
            Refresh();
        }

        for (var i = 1; i < readBuffer.Length; i++)
        {
            readBuffer[i] = _registers[(register + i - 1) & 0x3F];
        }
    }

    private static byte[] CreateRegisters()
    {
        var registers = new byte[64];
        registers[0] = 0xE5;
        return registers;
    }

    private void Refresh()
    {
        // 10-bit mode: 1024 counts over the range's span, so counts per g halve with each range step (256 at ±2 g).
        var countsPerG = 256 >> (_registers[DataFormat] & 0x03);
        var g = acceleration(clock.GetUtcNow());
        Put(DataStart, g.X * countsPerG);
        Put(DataStart + 2, g.Y * countsPerG);
        Put(DataStart + 4, g.Z * countsPerG);
    }

    private void Put(int at, float counts)
    {
        var value = (short)Math.Clamp(Math.Round(counts), short.MinValue, short.MaxValue);
        _registers[at] = (byte)(value & 0xFF);
        _registers[at + 1] = (byte)((value >> 8) & 0xFF);
    }
}
