using System.Device.Gpio;
using System.Diagnostics;

namespace CctvEdge.Node.Sensors.Simulation;

/// <summary>
/// GPIO lines with AOSONG DHT22s wired to some of them. A DHT22 answers the host's start signal (the line held low,
/// then released to input) with the waveform the bit-banging binding decodes: 80 µs low, 80 µs high, then 40 bits of
/// 50 µs low followed by a high that is short for a 0 and 70 µs for a 1 (the binding counts a high over 30 µs,
/// measured with Stopwatch, as a 1). A simulation on a shared test machine cannot promise a real sensor's
/// microseconds: the host's reads stall now and then (JIT, GC, another process), and the waveform must not run on
/// during a stall. So the lows and the start advance on the host's reads (at most 10 µs a read), a 0's high lasts a
/// single read, and only a 1's high is timed in real time, which a stall can only lengthen. Each read takes a
/// microsecond, as a read of a real GPIO line through the kernel does: the binding gives up after a count of reads,
/// not a time, and reads of a few nanoseconds would run that count out within one level. Lines without a sensor float
/// high on the pull-up, so a read of them times out like an empty pin.
/// </summary>
internal sealed class SimulatedGpioDriver(IReadOnlySet<int> dht22Pins, TimeProvider clock, Func<DateTimeOffset, Climate> climate) : GpioDriver
{
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, PinValue> _written = [];
    private readonly Dictionary<int, Dht22Answer> _answers = [];

    protected override int PinCount => 54;

    protected override void OpenPin(int pinNumber) => _modes.TryAdd(pinNumber, PinMode.Input);

    protected override void ClosePin(int pinNumber)
    {
        _modes.Remove(pinNumber);
        _answers.Remove(pinNumber);
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        var releasedAfterStart = mode is PinMode.Input or PinMode.InputPullUp && _modes.GetValueOrDefault(pinNumber) == PinMode.Output;
        _modes[pinNumber] = mode;
        if (releasedAfterStart && dht22Pins.Contains(pinNumber))
        {
            _answers[pinNumber] = new Dht22Answer(Frame(climate(clock.GetUtcNow())));
        }
    }

    protected override PinMode GetPinMode(int pinNumber) => _modes.GetValueOrDefault(pinNumber, PinMode.Input);

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber) =>
        _modes.GetValueOrDefault(pinNumber) == PinMode.Output ? _written.GetValueOrDefault(pinNumber, PinValue.Low)
        : _answers.TryGetValue(pinNumber, out var answer) ? answer.Read()
        : PinValue.High;

    protected override void Write(int pinNumber, PinValue value) => _written[pinNumber] = value;

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The simulated GPIO has no edge events.");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException("The simulated GPIO has no edge events.");

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException("The simulated GPIO has no edge events.");

    /// <summary>The DHT22's five bytes: humidity and temperature in tenths (the sign in the top bit), then their sum.</summary>
    internal static byte[] Frame(Climate now)
    {
        var humidity = (int)Math.Round(Math.Clamp(now.HumidityPercent, 0, 100) * 10);
        var tenths = (int)Math.Round(Math.Abs(now.TemperatureCelsius) * 10);
        var temperature = (tenths & 0x7FFF) | (now.TemperatureCelsius < 0 ? 0x8000 : 0);
        byte[] frame = [(byte)(humidity >> 8), (byte)humidity, (byte)(temperature >> 8), (byte)temperature, 0];
        frame[4] = (byte)(frame[0] + frame[1] + frame[2] + frame[3]);
        return frame;
    }

    /// <summary>One answer to a start signal, as a list of levels walked through by the host's reads.</summary>
    private sealed class Dht22Answer(byte[] frame)
    {
        private const double ReadMicroseconds = 1, MaxStepMicroseconds = 10, OneHighMicroseconds = 70;

        private readonly List<Phase> _phases = Phases(frame);
        private int _phase;
        private double _virtual;
        private long _lastRead;
        private long _phaseStarted;
        private int _readsInPhase;

        public PinValue Read()
        {
            var now = Stopwatch.GetTimestamp();
            while (_lastRead != 0 && Stopwatch.GetElapsedTime(_lastRead, now).TotalMicroseconds < ReadMicroseconds)
            {
                now = Stopwatch.GetTimestamp();
            }

            if (_lastRead == 0)
            {
                _phaseStarted = now;
            }
            else
            {
                _virtual += Math.Min(Stopwatch.GetElapsedTime(_lastRead, now).TotalMicroseconds, MaxStepMicroseconds);
            }

            _lastRead = now;
            while (_phase < _phases.Count && Over(_phases[_phase], now))
            {
                _phase++;
                _virtual = 0;
                _readsInPhase = 0;
                _phaseStarted = now;
            }

            _readsInPhase++;
            return _phase < _phases.Count ? _phases[_phase].Level : PinValue.High;
        }

        private bool Over(Phase phase, long now) => phase.Kind switch
        {
            PhaseKind.Virtual => _virtual >= phase.Microseconds,
            PhaseKind.OneRead => _readsInPhase >= 1,
            _ => Stopwatch.GetElapsedTime(_phaseStarted, now).TotalMicroseconds >= phase.Microseconds,
        };

        private static List<Phase> Phases(byte[] frame)
        {
            var phases = new List<Phase> { new(PinValue.Low, PhaseKind.Virtual, 80), new(PinValue.High, PhaseKind.Virtual, 80) };
            for (var bit = 0; bit < 40; bit++)
            {
                phases.Add(new(PinValue.Low, PhaseKind.Virtual, 50));
                phases.Add(((frame[bit / 8] >> (7 - (bit % 8))) & 1) == 1 ? new(PinValue.High, PhaseKind.RealTime, OneHighMicroseconds) : new(PinValue.High, PhaseKind.OneRead, 0));
            }

            // The sensor ends with 50 µs low and lets the line go high.
            phases.Add(new(PinValue.Low, PhaseKind.Virtual, 50));
            return phases;
        }
    }

    private enum PhaseKind
    {
        Virtual,
        OneRead,
        RealTime,
    }

    private readonly record struct Phase(PinValue Level, PhaseKind Kind, double Microseconds);
}
