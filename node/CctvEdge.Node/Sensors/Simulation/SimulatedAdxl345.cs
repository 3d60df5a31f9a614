using System.Device.Spi;
using System.Numerics;

namespace CctvEdge.Node.Sensors.Simulation;

/// <summary>
/// An Analog Devices ADXL345 accelerometer on SPI at register level: a transfer's first byte is the register with
/// the read (0x80) and multi-byte (0x40) bits; DEVID (0x00) answers 0xE5; DATA_FORMAT (0x31) sets the range; DATAX0 to
/// DATAZ1 (0x32-0x37) hold <paramref name="acceleration"/> (g) as little-endian counts at that range. With FIFO_CTL
/// (0x38) in stream mode the chip samples on its own clock at the BW_RATE (0x2C) rate into a 32-entry FIFO
/// (FIFO_STATUS 0x39 counts them), each read of the data registers taking the oldest, the oldest lost when it is full.
/// With <paramref name="absent"/>, nothing is wired to the chip select: every transfer reads zeros, as on a real bus.
/// </summary>
internal sealed class SimulatedAdxl345(int busId, int chipSelect, TimeProvider clock, Func<DateTimeOffset, Vector3> acceleration, bool absent = false) : SpiDevice
{
    private const byte BandwidthRate = 0x2C;
    private const byte DataFormat = 0x31;
    private const byte DataStart = 0x32;
    private const byte FifoControl = 0x38;
    private const byte FifoStatus = 0x39;
    private const int FifoEntries = 32;

    private readonly byte[] _registers = CreateRegisters();
    private readonly Queue<Vector3> _fifo = new();
    private long _samplesTaken;
    private DateTimeOffset _fifoStarted;

    public override SpiConnectionSettings ConnectionSettings { get; } = new(busId, chipSelect);

    public override byte ReadByte() => throw new NotSupportedException("the ADXL345 answers only within a transfer");

    public override void Read(Span<byte> buffer) => buffer.Clear();

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (absent || buffer.Length < 2)
        {
            return;
        }

        var register = buffer[0] & 0x3F;
        foreach (var value in buffer[1..])
        {
            _registers[register & 0x3F] = value;
            if ((register & 0x3F) == FifoControl)
            {
                _fifo.Clear();
                _samplesTaken = 0;
                _fifoStarted = clock.GetUtcNow();
            }

            register++;
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
        Refresh(register);
        for (var i = 1; i < readBuffer.Length; i++)
        {
            readBuffer[i] = _registers[(register + i - 1) & 0x3F];
        }
    }

    private static byte[] CreateRegisters()
    {
        var registers = new byte[64];
        registers[0] = 0xE5;
        registers[BandwidthRate] = 0x0A;
        return registers;
    }

    private bool Streaming => (_registers[FifoControl] >> 6) != 0;

    /// <summary>BW_RATE's output rate: 3200 Hz at code 0xF, halving with each code below.</summary>
    private double SampleRate => 3200.0 / (1 << (0x0F - Math.Min(0x0F, _registers[BandwidthRate] & 0x0F)));

    private void Refresh(int register)
    {
        if (register is not (DataStart or FifoStatus))
        {
            return;
        }

        if (!Streaming)
        {
            Put(acceleration(clock.GetUtcNow()));
            return;
        }

        var rate = SampleRate;
        var due = (long)Math.Floor((clock.GetUtcNow() - _fifoStarted).TotalSeconds * rate);
        for (; _samplesTaken < due; _samplesTaken++)
        {
            if (_fifo.Count == FifoEntries)
            {
                _fifo.Dequeue();
            }

            _fifo.Enqueue(acceleration(_fifoStarted.AddSeconds((_samplesTaken + 1) / rate)));
        }

        if (register == DataStart && _fifo.TryDequeue(out var oldest))
        {
            Put(oldest);
        }

        _registers[FifoStatus] = (byte)_fifo.Count;
    }

    private void Put(Vector3 g)
    {
        // 10-bit mode: 1024 counts over the range's span, so counts per g halve with each range step (256 at ±2 g).
        var countsPerG = 256 >> (_registers[DataFormat] & 0x03);
        Span<float> axes = [g.X, g.Y, g.Z];
        for (var i = 0; i < 3; i++)
        {
            var value = (short)Math.Clamp(Math.Round(axes[i] * countsPerG), short.MinValue, short.MaxValue);
            _registers[DataStart + (2 * i)] = (byte)(value & 0xFF);
            _registers[DataStart + (2 * i) + 1] = (byte)((value >> 8) & 0xFF);
        }
    }
}
