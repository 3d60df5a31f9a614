using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace CctvEdge.Harness;

/// <summary>A webhook the listener took: its body, its headers and when it came.</summary>
public sealed record TakenHook(byte[] Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Delivery => Headers.GetValueOrDefault("X-CctvEdge-Delivery");
}

/// <summary>
/// A webhook receiver on a loopback port (HttpListener) for tests and benchmarks; the port can be chosen before
/// anything listens there, so a test can start the receiver late: "the receiver comes back".
/// </summary>
public sealed class HookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public HookListener(int? port = null)
    {
        Url = $"http://127.0.0.1:{port ?? FreePort.Next()}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<TakenHook> Hooks { get; } = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            Hooks.Enqueue(new TakenHook(body.ToArray(), headers, DateTimeOffset.UtcNow));

            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
