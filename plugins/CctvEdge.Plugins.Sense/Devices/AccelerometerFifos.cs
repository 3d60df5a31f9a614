using System.Buffers.Binary;
using System.Device.I2c;
using System.Device.Spi;
using System.Numerics;
using Iot.Device.Adxl345;
using Iot.Device.Imu;

namespace CctvEdge.Plugins.Sense.Devices;

/// <summary>
/// An accelerometer sampling on its own clock into its FIFO. Timing comes from the chip, so the rate is exact whatever
/// the host's timers do (a Linux timer wakes no finer than a few milliseconds, far from 400 Hz), and the node wakes
/// a few times a second to collect, not once per sample.
/// </summary>
internal interface IAccelerometerFifo : IDisposable
{
    /// <summary>Samples per second, as the chip was set to.</summary>
    double SampleRate { get; }

    /// <summary>How often to collect, well before the FIFO fills.</summary>
    TimeSpan DrainInterval { get; }

    /// <summary>Appends the samples waiting in the chip (in g), oldest first.</summary>
    void Drain(List<Vector3> samples);
}

/// <summary>The MPU6050's 1024-byte FIFO, accelerometer only (6 bytes a sample), at 1 kHz divided by SMPLRT_DIV + 1.</summary>
internal sealed class Mpu6050Fifo : IAccelerometerFifo
{
    private const int FifoBytes = 1024;
    private const int SampleBytes = 6;
    private const float CountsPerG = 16384;  // ±2 g

    private readonly Mpu6050 _imu;
    private readonly byte[] _buffer = new byte[FifoBytes];

    public Mpu6050Fifo(I2cDevice device, double requestedRate)
    {
        _imu = SenseDevice.Opened(device, () => new Mpu6050(device));
        // The low-pass filter on (184 Hz) makes the base rate 1 kHz; the divider gives the nearest rate at or above the request.
        _imu.GyroscopeBandwidth = GyroscopeBandwidth.Bandwidth0184Hz;
        var divider = (byte)Math.Clamp(Math.Floor(1000 / requestedRate) - 1, 0, 255);
        _imu.SampleRateDivider = divider;
        SampleRate = 1000.0 / (1 + divider);
        _imu.FifoModes = FifoModes.Accelerometer;
        // The FIFO holds 170 samples; collecting every tenth of a second leaves room for a late read at up to 1 kHz.
        DrainInterval = TimeSpan.FromMilliseconds(100);
    }

    public double SampleRate { get; }

    public TimeSpan DrainInterval { get; }

    public void Drain(List<Vector3> samples)
    {
        var count = (int)_imu.FifoCount;
        if (count + SampleBytes > FifoBytes)
        {
            // Full: samples were dropped, so the seconds in it are not whole. Start again from an empty FIFO.
            _imu.FifoModes = FifoModes.Accelerometer;
            throw new IOException($"MPU6050 FIFO overflowed ({count} bytes): collection came too late and samples were lost.");
        }

        count -= count % SampleBytes;
        var bytes = _buffer.AsSpan(0, count);
        _imu.ReadFifo(bytes);
        for (var at = 0; at < count; at += SampleBytes)
        {
            samples.Add(new Vector3(
                BinaryPrimitives.ReadInt16BigEndian(bytes[at..]) / CountsPerG,
                BinaryPrimitives.ReadInt16BigEndian(bytes[(at + 2)..]) / CountsPerG,
                BinaryPrimitives.ReadInt16BigEndian(bytes[(at + 4)..]) / CountsPerG));
        }
    }

    public void Dispose() => _imu.Dispose();
}

/// <summary>
/// The ADXL345's 32-entry FIFO in stream mode at the BW_RATE rate at or above the request (3200 Hz halved). The
/// binding sets the range and powers the chip on; it has no FIFO, so the FIFO registers are read here.
/// </summary>
internal sealed class Adxl345Fifo : IAccelerometerFifo
{
    private const byte ReadBit = 0x80, MultiByte = 0x40;
    private const byte BandwidthRate = 0x2C, DataStart = 0x32, FifoControl = 0x38, FifoStatus = 0x39;
    private const byte StreamMode = 0x80;
    private const float CountsPerG = 256;  // 10-bit, ±2 g

    private readonly SpiDevice _device;
    private readonly Adxl345 _sensor;
    private readonly byte[] _command = new byte[7];
    private readonly byte[] _answer = new byte[7];

    public Adxl345Fifo(SpiDevice device, double requestedRate)
    {
        _device = device;
        _sensor = SenseDevice.Opened(device, () =>
        {
            // The binding does not check DEVID, and an empty chip select reads as zeros: a perfectly still machine.
            var devid = Transfer(device, 0x00, 1)[0];
            return devid == 0xE5
                ? new Adxl345(device, GravityRange.Range02)
                : throw new IOException($"No ADXL345 on SPI bus {device.ConnectionSettings.BusId} chip select {device.ConnectionSettings.ChipSelectLine}: DEVID read 0x{devid:x2}, not 0xE5.");
        });
        var code = Math.Clamp(0x0F - (int)Math.Floor(Math.Log2(3200 / requestedRate)), 0x06, 0x0F);
        SampleRate = 3200.0 / (1 << (0x0F - code));
        device.Write([BandwidthRate, (byte)code]);
        device.Write([FifoControl, StreamMode]);
        // 32 entries: collect when about half full.
        DrainInterval = TimeSpan.FromSeconds(16 / SampleRate);
    }

    public double SampleRate { get; }

    public TimeSpan DrainInterval { get; }

    public void Drain(List<Vector3> samples)
    {
        var entries = Transfer(_device, FifoStatus, 1, _command, _answer)[0] & 0x3F;
        for (var i = 0; i < entries; i++)
        {
            var data = Transfer(_device, DataStart, 6, _command, _answer);
            samples.Add(new Vector3(
                BinaryPrimitives.ReadInt16LittleEndian(data) / CountsPerG,
                BinaryPrimitives.ReadInt16LittleEndian(data[2..]) / CountsPerG,
                BinaryPrimitives.ReadInt16LittleEndian(data[4..]) / CountsPerG));
        }
    }

    public void Dispose() => _sensor.Dispose();

    private static ReadOnlySpan<byte> Transfer(SpiDevice device, byte register, int length, byte[]? command = null, byte[]? answer = null)
    {
        command ??= new byte[length + 1];
        answer ??= new byte[length + 1];
        Array.Clear(command);
        command[0] = (byte)(register | ReadBit | (length > 1 ? MultiByte : 0));
        device.TransferFullDuplex(command.AsSpan(0, length + 1), answer.AsSpan(0, length + 1));
        return answer.AsSpan(1, length);
    }
}
