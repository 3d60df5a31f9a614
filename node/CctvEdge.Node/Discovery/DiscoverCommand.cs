using System.Globalization;
using System.Net;
using System.Text.Json;

namespace CctvEdge.Node.Discovery;

/// <summary>
/// <c>cctvedge-node discover</c>: lists the ONVIF cameras that answer a WS-Discovery probe, with what an installer
/// needs to add one (its address, name, model and ONVIF service). Finding a camera needs no password. With a login
/// (<c>--user</c>, and the password in <c>CCTVEDGE_ONVIF_PASSWORD</c> so it stays out of the shell's history and the
/// process list) each camera's ONVIF media service is asked for its profiles and their RTSP addresses; without one,
/// the hint shows the common makes' paths.
/// </summary>
internal static class DiscoverCommand
{
    public const string Usage = "usage: cctvedge-node discover [--timeout SECONDS] [--address HOST[:PORT]] [--user USER] [--json]\n" +
        "       (with --user, the camera's password is read from CCTVEDGE_ONVIF_PASSWORD)";

    public const string PasswordVariable = "CCTVEDGE_ONVIF_PASSWORD";

    /// <param name="variable">Reads an environment variable (the process's by default).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, Func<string, string?>? variable = null, CancellationToken cancellationToken = default)
    {
        TimeSpan wait;
        IPEndPoint? target;
        bool json;
        string? user;
        try
        {
            (wait, target, json, user) = Parse(args);
        }
        catch (FormatException ex)
        {
            await errors.WriteLineAsync($"cctvedge-node discover: {ex.Message}").ConfigureAwait(false);
            await errors.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var devices = await WsDiscoveryProbe.RunAsync(target, wait, cancellationToken).ConfigureAwait(false);
        if (user is not null)
        {
            var login = new OnvifLogin(user, (variable ?? Environment.GetEnvironmentVariable)(PasswordVariable) ?? "");
            using var client = OnvifMediaClient.Create(login);
            devices = await WithStreamsAsync(devices, client, login, cancellationToken).ConfigureAwait(false);
        }

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

            await WriteStreamsAsync(output, device, user).ConfigureAwait(false);
        }

        if (user is not null)
        {
            return 0;
        }

        await output.WriteLineAsync("""

            Add one as a camera with its RTSP streams (or run again with --user to ask the cameras for them), e.g. "Source": { "Kind": "rtsp", "MainUrl": "rtsp://USER:PASSWORD@HOST:554/...", "SubUrl": "..." }:
              Hikvision  /Streaming/Channels/101 (main), /Streaming/Channels/102 (sub)
              Hanwha     /profile2/media.smp (main), /profile3/media.smp (sub)
              Dahua      /cam/realmonitor?channel=1&subtype=0 (main), ...&subtype=1 (sub)
            """).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Each device with its streams, or the reason they could not be read; one camera's failure does not stop the others.</summary>
    private static async Task<IReadOnlyList<OnvifDevice>> WithStreamsAsync(IReadOnlyList<OnvifDevice> devices, OnvifMediaClient client, OnvifLogin login, CancellationToken cancellationToken)
    {
        var result = new List<OnvifDevice>();
        foreach (var device in devices)
        {
            if (device.ServiceAddresses.Count == 0)
            {
                result.Add(device with { StreamError = "it named no ONVIF service address" });
                continue;
            }

            try
            {
                result.Add(device with { Streams = await client.GetStreamsAsync(new Uri(device.ServiceAddresses[0]), login, cancellationToken).ConfigureAwait(false) });
            }
            catch (OnvifException ex)
            {
                result.Add(device with { StreamError = ex.Message });
            }
        }

        return result;
    }

    private static async Task WriteStreamsAsync(TextWriter output, OnvifDevice device, string? user)
    {
        const string Indent = "                   ";
        if (device.StreamError is { } error)
        {
            await output.WriteLineAsync($"{Indent}streams: {error}").ConfigureAwait(false);
            return;
        }

        if (device.Streams is not { Count: > 0 } streams)
        {
            return;
        }

        foreach (var stream in streams)
        {
            var size = stream.Width > 0 ? string.Create(CultureInfo.InvariantCulture, $"{stream.Width}x{stream.Height}") : "";
            await output.WriteLineAsync($"{Indent}stream {stream.Name,-14} {stream.Encoding,-5} {size,-10} {stream.Uri}").ConfigureAwait(false);
        }

        // The largest picture records, the smallest feeds detection; the password stays a placeholder.
        var main = WithUser(streams[0].Uri, user!);
        var sub = streams.Count > 1 ? $", \"SubUrl\": \"{WithUser(streams[^1].Uri, user!)}\"" : "";
        await output.WriteLineAsync($"{Indent}\"Source\": {{ \"Kind\": \"rtsp\", \"MainUrl\": \"{main}\"{sub} }}").ConfigureAwait(false);
    }

    /// <summary>The address with USER:PASSWORD@ in it, for the config file; one that carries a login already keeps it (redacted).</summary>
    private static string WithUser(string uri, string user)
    {
        var parsed = new Uri(uri);
        return parsed.UserInfo.Length > 0 ? uri : $"{parsed.Scheme}://{Uri.EscapeDataString(user)}:PASSWORD@{uri[(parsed.Scheme.Length + 3)..]}";
    }

    private static (TimeSpan Wait, IPEndPoint? Target, bool Json, string? User) Parse(string[] args)
    {
        var wait = TimeSpan.FromSeconds(3);
        IPEndPoint? target = null;
        var json = false;
        string? user = null;
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
                case "--user" when i + 1 < args.Length && args[i + 1].Length > 0:
                    user = args[++i];
                    break;
                default:
                    throw new FormatException($"unknown argument '{args[i]}'.");
            }
        }

        return (wait, target, json, user);
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
