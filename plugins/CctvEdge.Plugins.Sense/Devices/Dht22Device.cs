using System.Device.Gpio;
using CctvEdge.Plugins.Sdk;
using Iot.Device.DHTxx;

namespace CctvEdge.Plugins.Sense.Devices;

/// <summary>
/// An AOSONG DHT22 (AM2302) on a GPIO line, read by the binding's bit-banging driver. Its timing-based protocol fails
/// now and then on a busy Linux box (the kernel takes the CPU in the middle of a bit): a failed checksum or a missed
/// edge is retried after the two seconds the sensor needs between readings, and only a third failure is an error.
/// </summary>
internal sealed class Dht22Device : ISenseDevice
{
    private const int Tries = 3;
    private static readonly TimeSpan BetweenReadings = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan BeforeRetry = BetweenReadings + TimeSpan.FromMilliseconds(100);

    private readonly Dht22 _sensor;
    private readonly int _pin;

    public Dht22Device(GpioController gpio, int pin, TimeSpan interval)
    {
        // The controller is the node's, shared by every GPIO sensor: the binding closes its pin, never the controller.
        // Within MinTimeBetweenReads the binding answers from the last transfer: temperature and humidity come from one.
        _sensor = new Dht22(pin, gpio, shouldDispose: false) { MinTimeBetweenReads = BetweenReadings };
        _pin = pin;
        Interval = interval < BetweenReadings ? BetweenReadings : interval;
    }

    public TimeSpan Interval { get; }

    public async ValueTask ReadAsync(DateTimeOffset now, IResultPublisher results, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= Tries; attempt++)
        {
            if (_sensor.TryReadTemperature(out var temperature) && _sensor.TryReadHumidity(out var humidity))
            {
                await results.PublishAsync(new PluginMeasurement("temperature", Math.Round(temperature.DegreesCelsius, 1), "°C", now), cancellationToken).ConfigureAwait(false);
                await results.PublishAsync(new PluginMeasurement("humidity", Math.Round(humidity.Percent, 1), "%", now), cancellationToken).ConfigureAwait(false);
                return;
            }

            if (attempt < Tries)
            {
                await Task.Delay(BeforeRetry, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new IOException($"DHT22 on GPIO {_pin}: no valid answer in {Tries} tries (no sensor on the pin, a loose wire, or a checksum error each time).");
    }

    public void Dispose() => _sensor.Dispose();
}
