using System.Device.I2c;

namespace CctvEdge.Node.Sensors.Simulation;

/// <summary>
/// An I2C device simulated at register level, as most sensors behave: a write's first byte sets the register pointer
/// and further bytes are written from there; reads return bytes from the pointer on, which advances. Subclasses fill
/// the identification and calibration registers once and refresh the data registers (<see cref="Refresh"/>) when a
/// read starts inside them, so the real bindings (Iot.Device.Bindings) run unchanged against it. The same shape as
/// the bindings' own <c>I2cSimulatedDeviceBase</c>, without its per-register objects.
/// </summary>
internal abstract class SimulatedRegisterDevice(int busId, int address) : I2cDevice
{
    private readonly Lock _gate = new();
    private byte _pointer;
    private bool _disposed;

    protected byte[] Registers { get; } = new byte[256];

    public override I2cConnectionSettings ConnectionSettings { get; } = new(busId, address);

    /// <summary>Set to make every transfer fail as a device that went away does (EIO).</summary>
    public bool Unplugged { get; set; }

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    public override void Read(Span<byte> buffer)
    {
        lock (_gate)
        {
            Check();
            _pointer = ReadFrom(_pointer, buffer);
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            Check();
            if (buffer.IsEmpty)
            {
                return;
            }

            _pointer = buffer[0];
            foreach (var value in buffer[1..])
            {
                OnWrite(_pointer, value);
                _pointer++;
            }
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    /// <summary>
    /// Fills <paramref name="buffer"/> from <paramref name="register"/> on and returns where the pointer stops; override
    /// for a register that is a port rather than memory (a FIFO).
    /// </summary>
    protected virtual byte ReadFrom(byte register, Span<byte> buffer)
    {
        Refresh(register);
        foreach (ref var b in buffer)
        {
            b = Registers[register++];
        }

        return register;
    }

    /// <summary>Updates data registers before a read that starts at <paramref name="register"/>.</summary>
    protected abstract void Refresh(byte register);

    /// <summary>Stores a written byte; override for registers with side effects (reset, read-only bits).</summary>
    protected virtual void OnWrite(byte register, byte value) => Registers[register] = value;

    protected static void WriteUInt16LittleEndian(byte[] registers, int at, int value)
    {
        registers[at] = (byte)(value & 0xFF);
        registers[at + 1] = (byte)((value >> 8) & 0xFF);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    protected void Check()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Unplugged)
        {
            throw new IOException($"Error 5 performing I2C data transfer (simulated device 0x{ConnectionSettings.DeviceAddress:x2} on bus {ConnectionSettings.BusId} unplugged).");
        }
    }
}
