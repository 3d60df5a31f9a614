using System.Numerics;

namespace CctvEdge.Node.Sensors.Simulation;

/// <summary>
/// An InvenSense MPU6050 accelerometer at register level: WHO_AM_I (0x75) answers 0x68, the full-scale range written
/// to ACCEL_CONFIG (0x1C) is honoured, and ACCEL_XOUT_H..ACCEL_ZOUT_L (0x3B-0x40) hold <paramref name="acceleration"/>
/// (in g) at the moment of the read, as signed 16-bit big-endian counts. With the accelerometer enabled in FIFO_EN
/// (0x23), the chip samples on its own clock at the rate SMPLRT_DIV (0x19) and CONFIG (0x1A) set and queues each
/// sample's six bytes in its 1024-byte FIFO (FIFO_COUNTH/L 0x72-0x73, read through FIFO_R_W 0x74); a full FIFO drops
/// new samples and sets FIFO_OFLOW in INT_STATUS (0x3A), as the chip does. Sample times come from the clock, so a
/// test with a fake clock gets exactly the samples of the time it lets pass.
/// </summary>
internal sealed class SimulatedMpu6050(int busId, int address, TimeProvider clock, Func<DateTimeOffset, Vector3> acceleration)
    : SimulatedRegisterDevice(busId, address)
{
    private const byte SampleRateDivider = 0x19;
    private const byte Config = 0x1A;
    private const byte AccelConfig = 0x1C;
    private const byte FifoEnable = 0x23;
    private const byte InterruptStatus = 0x3A;
    private const byte AccelStart = 0x3B;
    private const byte UserControl = 0x6A;
    private const byte PowerManagement = 0x6B;
    private const byte FifoCountHigh = 0x72;
    private const byte FifoData = 0x74;
    private const byte WhoAmI = 0x75;
    private const byte AccelFifo = 0x08;
    private const byte FifoReset = 0x04;
    private const byte FifoOverflow = 0x10;
    private const int FifoBytes = 1024;

    private readonly Queue<byte> _fifo = new();
    private readonly byte[] _sample = new byte[6];
    private long _samplesQueued;
    private DateTimeOffset _fifoStarted;

    protected override byte ReadFrom(byte register, Span<byte> buffer)
    {
        if (register != FifoData)
        {
            return base.ReadFrom(register, buffer);
        }

        Sample();
        foreach (ref var b in buffer)
        {
            b = _fifo.TryDequeue(out var next) ? next : (byte)0;
        }

        return register;
    }

    protected override void Refresh(byte register)
    {
        Registers[WhoAmI] = 0x68;
        if (register is FifoCountHigh or FifoCountHigh + 1 or InterruptStatus)
        {
            Sample();
            Registers[FifoCountHigh] = (byte)(_fifo.Count >> 8);
            Registers[FifoCountHigh + 1] = (byte)(_fifo.Count & 0xFF);
        }

        if (register is >= AccelStart and <= AccelStart + 5)
        {
            Put(Registers, AccelStart, acceleration(clock.GetUtcNow()), RangeG);
        }
    }

    protected override void OnWrite(byte register, byte value)
    {
        // Bit 7 of PWR_MGMT_1 is a reset that clears itself; FIFO_RST in USER_CTRL empties the FIFO and clears itself.
        Registers[register] = register switch
        {
            PowerManagement => (byte)(value & 0x7F),
            UserControl => (byte)(value & ~FifoReset),
            _ => value,
        };
        if ((register == UserControl && (value & FifoReset) != 0) || (register == FifoEnable && (value & AccelFifo) != 0))
        {
            _fifo.Clear();
            _samplesQueued = 0;
            _fifoStarted = clock.GetUtcNow();
            Registers[InterruptStatus] &= unchecked((byte)~FifoOverflow);
        }
    }

    private int RangeG => 2 << ((Registers[AccelConfig] >> 3) & 0x03);

    /// <summary>The chip's output rate: 8 kHz with the low-pass filter off (DLPF_CFG 0 or 7), 1 kHz with it on, divided.</summary>
    private double SampleRate => ((Registers[Config] & 0x07) is 0 or 7 ? 8000.0 : 1000.0) / (1 + Registers[SampleRateDivider]);

    /// <summary>Queues the samples the chip took since the last look, each at its own instant.</summary>
    private void Sample()
    {
        if ((Registers[FifoEnable] & AccelFifo) == 0)
        {
            return;
        }

        var rate = SampleRate;
        var due = (long)Math.Floor((clock.GetUtcNow() - _fifoStarted).TotalSeconds * rate);
        var range = RangeG;
        for (; _samplesQueued < due; _samplesQueued++)
        {
            if (_fifo.Count + 6 > FifoBytes)
            {
                Registers[InterruptStatus] |= FifoOverflow;
                continue;
            }

            Put(_sample, 0, acceleration(_fifoStarted.AddSeconds((_samplesQueued + 1) / rate)), range);
            foreach (var b in _sample)
            {
                _fifo.Enqueue(b);
            }
        }
    }

    private static void Put(byte[] target, int at, Vector3 g, int rangeG)
    {
        Span<float> axes = [g.X, g.Y, g.Z];
        for (var i = 0; i < 3; i++)
        {
            var counts = (short)Math.Clamp(Math.Round(axes[i] * 32768.0 / rangeG), short.MinValue, short.MaxValue);
            target[at + (2 * i)] = (byte)((counts >> 8) & 0xFF);
            target[at + (2 * i) + 1] = (byte)(counts & 0xFF);
        }
    }
}
