using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CctvEdge.Plugins.Sdk;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Sensors.Microcontrollers;

/// <summary>
/// The node's endpoint for boards on the farm's Wi-Fi (the vibration server of the seeds): <c>POST /input</c> stores a
/// board's values as readings of its sensor, through the outbox, so a board keeps posting while the server is away;
/// <c>GET /output?device=ID</c> answers <c>{"outputs": {...}}</c>, what the board should set (a relay, a siren).
/// HttpListener, in the base runtime: the node needs no ASP.NET Core on a Pi.
/// </summary>
internal sealed partial class MicrocontrollerEndpoint(
    IOptions<MicrocontrollerOptions> options,
    MicrocontrollerDevices devices,
    TimeProvider clock,
    ILogger<MicrocontrollerEndpoint> logger) : BackgroundService
{
    private static readonly JsonWriterOptions Compact = new() { Indented = false };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Port == 0)
        {
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://{settings.ListenerHost}:{settings.Port}/");
        listener.Start();
        LogListening(logger, settings.BindAddress, settings.Port);
        await using var _ = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
            {
                break;
            }

            // Boards post every few seconds; one at a time keeps each board's readings in order and costs nothing.
            await HandleAsync(context, settings, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpListenerContext context, MicrocontrollerOptions settings, CancellationToken cancellationToken)
    {
        var response = context.Response;
        try
        {
            (int Status, byte[] Body) answer;
            try
            {
                answer = await AnswerAsync(context.Request, settings, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or HttpListenerException or IOException))
            {
                // Said loudly to the board and in the log: a reading the node could not keep is never answered 200.
                LogFailed(logger, context.Request.Url?.AbsolutePath ?? "", ex);
                answer = Error(500, $"the node could not store the readings: {ex.Message}");
            }

            var (status, body) = answer;
            response.StatusCode = status;
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or OperationCanceledException)
        {
            // The board went away mid-request, or the node is stopping: nothing to answer.
        }
        finally
        {
            response.Close();
        }
    }

    private async Task<(int Status, byte[] Body)> AnswerAsync(HttpListenerRequest request, MicrocontrollerOptions settings, CancellationToken cancellationToken)
    {
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

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> (a chunked body has no length to check first).</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream input, int limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[limit + 1];
        var total = 0;
        int read;
        while (total <= limit && (read = await input.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total > limit ? null : buffer[..total];
    }

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

    private static (int, byte[]) Error(int status, string message) => Json(status, writer => writer.WriteString("error", message));

    private static (int, byte[]) Json(int status, Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Compact))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return (status, stream.ToArray());
    }

    [LoggerMessage(EventId = 346, Level = LogLevel.Error, Message = "Microcontroller endpoint: {Path} failed.")]
    private static partial void LogFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 345, Level = LogLevel.Information, Message = "Microcontroller endpoint listening on {Address}:{Port} (POST /input, GET /output).")]
    private static partial void LogListening(ILogger logger, string address, int port);
}
