using System.Globalization;
using System.Net;
using System.Text.Json;

namespace CctvEdge.Node.Discovery;

/// <summary>
/// <c>cctvedge-node discover</c>: lists the ONVIF cameras that answer a WS-Discovery probe, with what an installer
/// needs to add one (its address, name, model and ONVIF service). Finding a camera needs no password; its stream
/// paths depend on the make, so the hint shows the common ones.
/// </summary>
internal static class DiscoverCommand
{
    public const string Usage = "usage: cctvedge-node discover [--timeout SECONDS] [--address HOST[:PORT]] [--json]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default)
    {
        TimeSpan wait;
        IPEndPoint? target;
        bool json;
        try
        {
            (wait, target, json) = Parse(args);
        }
        catch (FormatException ex)
        {
            await errors.WriteLineAsync($"cctvedge-node discover: {ex.Message}").ConfigureAwait(false);
            await errors.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var devices = await WsDiscoveryProbe.RunAsync(target, wait, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(devices, DiscoveryJson.Default.IReadOnlyListOnvifDevice)).ConfigureAwait(false);
            return 0;
        }

        var where = target is null ? "on this machine's networks" : $"at {target}";
        if (devices.Count == 0)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"No ONVIF camera answered {where} within {wait.TotalSeconds:0.#} s. Is ONVIF switched on in the camera's settings, and is it on the same LAN (or give --address)?")).ConfigureAwait(false);
            return 0;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{devices.Count} ONVIF camera(s) answered {where}:")).ConfigureAwait(false);
        foreach (var device in devices)
        {
            var label = string.Join(", ", new[] { device.Name, device.Hardware, device.Location }.Where(s => s.Length > 0));
            await output.WriteLineAsync($"  {device.Host,-15}  {(label.Length > 0 ? label : "(no name)")}").ConfigureAwait(false);
            foreach (var address in device.ServiceAddresses)
            {
                await output.WriteLineAsync($"                   ONVIF service {address}").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync("""

            Add one as a camera with its RTSP streams, e.g. "Source": { "Kind": "rtsp", "MainUrl": "rtsp://USER:PASSWORD@HOST:554/...", "SubUrl": "..." }:
              Hikvision  /Streaming/Channels/101 (main), /Streaming/Channels/102 (sub)
              Hanwha     /profile2/media.smp (main), /profile3/media.smp (sub)
              Dahua      /cam/realmonitor?channel=1&subtype=0 (main), ...&subtype=1 (sub)
            """).ConfigureAwait(false);
        return 0;
    }

    private static (TimeSpan Wait, IPEndPoint? Target, bool Json) Parse(string[] args)
    {
        var wait = TimeSpan.FromSeconds(3);
        IPEndPoint? target = null;
        var json = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--timeout" when i + 1 < args.Length:
                    if (!double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is < 0.1 or > 60)
                    {
                        throw new FormatException($"--timeout '{args[i]}' must be a number of seconds from 0.1 to 60.");
                    }

                    wait = TimeSpan.FromSeconds(seconds);
                    break;
                case "--address" when i + 1 < args.Length:
                    target = Target(args[++i]);
                    break;
                case "--json":
                    json = true;
                    break;
                default:
                    throw new FormatException($"unknown argument '{args[i]}'.");
            }
        }

        return (wait, target, json);
    }

    private static IPEndPoint Target(string text)
    {
        // Without ":PORT" TryParse gives port 0: the WS-Discovery port is meant.
        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            return endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, WsDiscoveryMessages.Port) : endpoint;
        }

        throw new FormatException($"--address '{text}' must be an IP address, optionally with :PORT (default {WsDiscoveryMessages.Port}).");
    }
}
