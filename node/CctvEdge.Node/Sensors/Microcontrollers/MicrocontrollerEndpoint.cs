using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Sensors.Microcontrollers;

/// <summary>
/// The node's endpoint for boards on the farm's Wi-Fi (the vibration server of the seeds): <c>POST /input</c> stores a
/// board's values as readings of its sensor, through the outbox, so a board keeps posting while the server is away;
/// <c>GET /output?device=ID</c> answers <c>{"outputs": {...}}</c>, what the board should set (a relay, a siren).
/// </summary>
internal sealed class MicrocontrollerEndpoint(
    IOptions<MicrocontrollerOptions> options,
    MicrocontrollerDevices devices,
    TimeProvider clock,
    ILogger<MicrocontrollerEndpoint> logger) : LocalHttpEndpoint(options.Value, logger)
{
    protected override string Name => "Microcontroller endpoint";

    protected override string Routes => "POST /input, GET /output";

    // Said loudly to the board and in the log: a reading the node could not keep is never answered 200.
    protected override string Failure => "the node could not store the readings";

    protected override async Task<(int Status, byte[] Body)> AnswerAsync(HttpListenerRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var path = request.Url?.AbsolutePath ?? "";
        return (path, request.HttpMethod) switch
        {
            ("/input", "POST") => await InputAsync(request, settings, cancellationToken).ConfigureAwait(false),
            ("/output", "GET") => Output(request),
            ("/input" or "/output", _) => Error(405, $"{request.HttpMethod} is not allowed on {path}: POST /input, GET /output"),
            _ => Error(404, $"no {path} here: POST /input, GET /output?device=ID"),
        };
    }

    private async Task<(int, byte[])> InputAsync(HttpListenerRequest request, MicrocontrollerOptions settings, CancellationToken cancellationToken)
    {
        if (request.ContentLength64 > settings.MaxBodyBytes)
        {
            return Error(413, $"body of {request.ContentLength64} bytes is over the {settings.MaxBodyBytes}-byte limit");
        }

        var body = await ReadBodyAsync(request.InputStream, settings.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Error(413, $"body is over the {settings.MaxBodyBytes}-byte limit");
        }

        var (input, problem) = MicrocontrollerInput.Parse(body, settings.MaxValues);
        if (input is null)
        {
            return Error(400, problem!);
        }

        var (device, refusal) = Authorize(input.Device, input.Token ?? BearerToken(request));
        if (device is null)
        {
            return refusal;
        }

        var at = input.At ?? clock.GetUtcNow();
        foreach (var value in input.Values)
        {
            await device.Publisher.PublishAsync(new PluginMeasurement(value.Name, value.Value, value.Unit, at), cancellationToken).ConfigureAwait(false);
        }

        return Json(200, writer =>
        {
            writer.WriteString("device", device.Id);
            writer.WriteNumber("stored", input.Values.Count);
        });
    }

    private (int, byte[]) Output(HttpListenerRequest request)
    {
        if (request.QueryString["device"] is not { Length: > 0 } id)
        {
            return Error(400, "device is required: GET /output?device=ID");
        }

        var (device, refusal) = Authorize(id, request.QueryString["token"] ?? BearerToken(request));
        if (device is null)
        {
            return refusal;
        }

        return Json(200, writer =>
        {
            writer.WriteStartObject("outputs");
            foreach (var (name, value) in device.Outputs.OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                WriteTyped(writer, name, value);
            }

            writer.WriteEndObject();
        });
    }

    private (MicrocontrollerDevice? Device, (int, byte[]) Refusal) Authorize(string id, string? token)
    {
        if (devices.Find(id) is not { } device)
        {
            return (null, Error(403, $"device '{id}' is not configured under Sensors (\"Plugin\": \"microcontroller\") and Microcontroller:AcceptUnknown is false"));
        }

        var expected = Encoding.UTF8.GetBytes(device.Token);
        var given = Encoding.UTF8.GetBytes(token ?? "");
        return device.Token.Length == 0 || CryptographicOperations.FixedTimeEquals(expected, given)
            ? (device, default)
            : (null, Error(401, $"device '{id}' needs its token (\"token\" in the body, ?token= or Authorization: Bearer)"));
    }

    private static string? BearerToken(HttpListenerRequest request) =>
        request.Headers["Authorization"] is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;

    /// <summary>Outputs are kept as config text; a board gets numbers and booleans as JSON numbers and booleans.</summary>
    private static void WriteTyped(Utf8JsonWriter writer, string name, string value)
    {
        if (bool.TryParse(value, out var flag))
        {
            writer.WriteBoolean(name, flag);
        }
        else if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
