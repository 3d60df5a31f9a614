using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CctvEdge.Server.Tests.Notifications;

/// <summary>The notification API as the tests drive it.</summary>
internal static class NotificationApi
{
    /// <summary>Creates a channel or rule and returns its id.</summary>
    public static async Task<long> CreateAsync(InProcessServer server, string path, object body)
    {
        using var response = await server.Http.PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>A channel as <c>GET /api/notification-channels</c> lists it.</summary>
    public static async Task<JsonElement> ChannelAsync(InProcessServer server, long id) =>
        (await server.Http.GetFromJsonAsync<JsonElement[]>("/api/notification-channels"))!.Single(c => c.GetProperty("id").GetInt64() == id);

    /// <summary>Sends a channel's test message; null when it went, else the error the API answered.</summary>
    public static async Task<string?> TestAsync(InProcessServer server, long id)
    {
        using var response = await server.Http.PostAsync($"/api/notification-channels/{id}/test", null);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        return result.GetProperty("sent").GetBoolean() ? null : result.GetProperty("error").GetString();
    }
}
