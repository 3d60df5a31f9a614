using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>One call the bot made: the method, its fields, a photo's bytes, and the id of the message it sent.</summary>
internal sealed record BotCall(string Method, IReadOnlyDictionary<string, string> Fields, byte[]? Photo, int MessageId);

/// <summary>
/// A Bot API server on 127.0.0.1 for Telegram.Bot's base URL: it takes sendPhoto, sendMessage and
/// answerCallbackQuery as Telegram does (JSON or multipart), refuses other tokens with 401, and serves getUpdates
/// (long polling, a second at most here) from the button presses a test queues.
/// </summary>
internal sealed class FakeTelegram : IAsyncDisposable
{
    public const string Token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ_0123456789";
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonObject> _updates = new();
    private int _nextUpdate = 1;
    private int _nextMessage = 100;

    private FakeTelegram(WebApplication app) => _app = app;

    public ConcurrentQueue<BotCall> Calls { get; } = new();

    public Uri BaseUrl => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public IEnumerable<BotCall> Sent => Calls.Where(c => c.Method is "sendPhoto" or "sendMessage");

    public static async Task<FakeTelegram> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeTelegram(app);
        app.Map("/bot{token}/{method}", fake.HandleAsync);
        await app.StartAsync();
        return fake;
    }

    /// <summary>Someone in <paramref name="chatId"/> pressed a button with <paramref name="data"/> under message <paramref name="messageId"/>.</summary>
    public void Press(long chatId, int messageId, string data, string username = "farmer")
    {
        var id = Interlocked.Increment(ref _nextUpdate);
        _updates.Enqueue(new JsonObject
        {
            ["update_id"] = id,
            ["callback_query"] = new JsonObject
            {
                ["id"] = $"press-{id}",
                ["from"] = new JsonObject { ["id"] = 77, ["is_bot"] = false, ["first_name"] = "Farmer", ["username"] = username },
                ["message"] = new JsonObject { ["message_id"] = messageId, ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private" } },
                ["chat_instance"] = "1",
                ["data"] = data,
            },
        });
    }

    private async Task<IResult> HandleAsync(HttpContext context, string token, string method)
    {
        if (token != Token)
        {
            return Results.Json(new { ok = false, error_code = 401, description = "Unauthorized" }, statusCode: 401);
        }

        var (fields, photo) = await ReadAsync(context.Request);
        var messageId = method is "sendPhoto" or "sendMessage" ? Interlocked.Increment(ref _nextMessage) : 0;
        if (method != "getUpdates")
        {
            Calls.Enqueue(new BotCall(method, fields, photo, messageId));
        }

        switch (method)
        {
            case "sendPhoto" or "sendMessage":
                var chat = long.TryParse(fields.GetValueOrDefault("chat_id"), out var c) ? c : 0;
                return Ok(new JsonObject
                {
                    ["message_id"] = messageId,
                    ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    ["chat"] = new JsonObject { ["id"] = chat, ["type"] = "private" },
                });
            case "answerCallbackQuery":
                return Ok(true);
            case "getUpdates":
                var offset = int.TryParse(fields.GetValueOrDefault("offset"), out var o) ? o : 0;
                var until = DateTime.UtcNow.AddSeconds(1);
                while (DateTime.UtcNow < until && !_updates.Any(u => (int)u["update_id"]! >= offset))
                {
                    await Task.Delay(50, context.RequestAborted);
                }

                return Ok(new JsonArray(_updates.Where(u => (int)u["update_id"]! >= offset).Select(u => (JsonNode)u.DeepClone()).ToArray()));
            default:
                return Results.Json(new { ok = false, error_code = 404, description = "Not Found: method not found" }, statusCode: 404);
        }
    }

    private static IResult Ok(JsonNode result) => Results.Text(new JsonObject { ["ok"] = true, ["result"] = result }.ToJsonString(), "application/json");

    private static async Task<(Dictionary<string, string> Fields, byte[]? Photo)> ReadAsync(HttpRequest request)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        byte[]? photo = null;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            foreach (var (key, value) in form)
            {
                fields[key] = value.ToString();
            }

            // Telegram.Bot sends "photo": "attach://0" and the file in the part named 0, as the Bot API allows.
            var part = fields.GetValueOrDefault("photo") is { } photoField && photoField.StartsWith("attach://", StringComparison.Ordinal) ? photoField["attach://".Length..] : "photo";
            if (form.Files.GetFile(part) is { } file)
            {
                using var bytes = new MemoryStream();
                await file.CopyToAsync(bytes);
                photo = bytes.ToArray();
            }
        }
        else if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var json = await JsonDocument.ParseAsync(request.Body);
            foreach (var property in json.RootElement.EnumerateObject())
            {
                fields[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return (fields, photo);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
