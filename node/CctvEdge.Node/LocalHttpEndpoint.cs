using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Node;

/// <summary>
/// One of the node's own HTTP endpoints for devices on the site's LAN (push cameras, microcontroller boards), on
/// HttpListener. Requests are answered one at a time, in order: devices post a few times a second at most, and one at
/// a time keeps each device's posts in order. What the node could not keep is answered 500 and logged, never 2xx; a
/// client that went away, or a request the stop cuts short, gets no answer.
/// </summary>
internal abstract partial class LocalHttpEndpoint(LocalEndpointOptions listen, ILogger logger) : BackgroundService
{
    private static readonly JsonWriterOptions Compact = new() { Indented = false };

    /// <summary>What it is called in the log, e.g. "Push endpoint".</summary>
    protected abstract string Name { get; }

    /// <summary>Its routes, for the log line that says it listens.</summary>
    protected abstract string Routes { get; }

    /// <summary>The answer to one request: its status and JSON body.</summary>
    protected abstract Task<(int Status, byte[] Body)> AnswerAsync(HttpListenerRequest request, CancellationToken cancellationToken);

    /// <summary>The error's words when answering failed, e.g. "the node could not store the picture".</summary>
    protected abstract string Failure { get; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (listen.Port == 0)
        {
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://{listen.ListenerHost}:{listen.Port}/");
        listener.Start();
        LogListening(logger, Name, listen.BindAddress, listen.Port, Routes);
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

            await HandleAsync(context, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>A JSON object answer written by <paramref name="write"/>.</summary>
    protected static (int Status, byte[] Body) Json(int status, Action<Utf8JsonWriter> write)
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

    /// <summary><c>{"error": message}</c> with <paramref name="status"/>.</summary>
    protected static (int Status, byte[] Body) Error(int status, string message) => Json(status, writer => writer.WriteString("error", message));

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> (a chunked body has no length to check first).</summary>
    protected static async Task<byte[]?> ReadBodyAsync(Stream input, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[Math.Min(limit + 1, 64 * 1024)];
        int read;
        while ((read = await input.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        try
        {
            (int Status, byte[] Body) answer;
            try
            {
                answer = await AnswerAsync(context.Request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or HttpListenerException or IOException))
            {
                LogFailed(logger, Name, context.Request.Url?.AbsolutePath ?? "", ex);
                answer = Error(500, $"{Failure}: {ex.Message}");
            }

            response.StatusCode = answer.Status;
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(answer.Body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or OperationCanceledException)
        {
            // The device went away mid-request, or the node is stopping: nothing to answer.
        }
        finally
        {
            response.Close();
        }
    }

    [LoggerMessage(EventId = 229, Level = LogLevel.Information, Message = "{Endpoint} listening on {Address}:{Port} ({Routes}).")]
    private static partial void LogListening(ILogger logger, string endpoint, string address, int port, string routes);

    [LoggerMessage(EventId = 230, Level = LogLevel.Error, Message = "{Endpoint}: {Path} failed.")]
    private static partial void LogFailed(ILogger logger, string endpoint, string path, Exception exception);
}
