using System.Numerics;

namespace CctvEdge.Node.Sensors.Simulation;

/// <summary>
/// An InvenSense MPU6050 accelerometer at register level: WHO_AM_I (0x75) answers 0x68, the full-scale range written
/// to ACCEL_CONFIG (0x1C) is honoured, and ACCEL_XOUT_H..ACCEL_ZOUT_L (0x3B-0x40) hold <paramref name="acceleration"/>
/// (in g) at the moment of the read, as signed 16-bit big-endian counts.
/// </summary>
internal sealed class SimulatedMpu6050(int busId, int address, TimeProvider clock, Func<DateTimeOffset, Vector3> acceleration)
    : SimulatedRegisterDevice(busId, address)
{
    private const byte AccelConfig = 0x1C;
    private const byte AccelStart = 0x3B;
    private const byte WhoAmI = 0x75;
    private const byte PowerManagement = 0x6B;

    protected override void Refresh(byte register)
    {
        Registers[WhoAmI] = 0x68;
        if (register is < AccelStart or > AccelStart + 5)
        {
            return;
        }

        var rangeG = 2 << ((Registers[AccelConfig] >> 3) & 0x03);
        var g = acceleration(clock.GetUtcNow());
        Put(AccelStart, g.X, rangeG);
        Put(AccelStart + 2, g.Y, rangeG);
        Put(AccelStart + 4, g.Z, rangeG);
    }

    protected override void OnWrite(byte register, byte value) =>
        // Bit 7 of PWR_MGMT_1 is a reset that clears itself.
        Registers[register] = register == PowerManagement ? (byte)(value & 0x7F) : value;

    private void Put(int at, float g, int rangeG)
    {
        var counts = (short)Math.Clamp(Math.Round(g * 32768.0 / rangeG), short.MinValue, short.MaxValue);
        Registers[at] = (byte)((counts >> 8) & 0xFF);
        Registers[at + 1] = (byte)(counts & 0xFF);
    }
}
