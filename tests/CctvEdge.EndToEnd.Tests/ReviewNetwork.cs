using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Testing;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// One demo network and one browser for the review app's tests: continuous 4 s clips (so events have clips at once),
/// motion events, recording segments for live view, two more cameras without plugins (for the live grid), and an
/// export folder on the server. Started once for the class.
/// </summary>
public sealed class ReviewNetwork : IAsyncLifetime
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _exports = new("cctvedge-usb");

    internal DemoNetwork Network { get; private set; } = null!;

    internal Browser Browser { get; private set; } = null!;

    public string ExportDirectory => _exports.Path;

    public Uri Web => Network.Server.WebAddress;

    public async Task InitializeAsync()
    {
        Network = await DemoNetwork.StartAsync(new NetworkOptions
        {
            ContinuousClipSeconds = 4,
            ExtraCameras = ["gate", "lane"],
            ServerArguments = ["--Server:ExportDirectories:0", _exports.Path],
        });
        Browser = await Browser.LaunchAsync();
        await EventWithStoredClipAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        if (Network is not null)
        {
            await Network.DisposeAsync();
        }

        _exports.Dispose();
    }

    /// <summary>The id of a motion event whose clip is stored, waiting for one if need be.</summary>
    public Task<long> EventWithStoredClipAsync() =>
        Eventually.GetValueAsync(async () =>
        {
            var events = (await Network.Http.GetFromJsonAsync<JsonElement[]>("api/events?limit=100"))!;
            return events.FirstOrDefault(e => e.GetProperty("kind").GetString() == "motion" && e.GetProperty("clipState").GetString() == "stored") is { ValueKind: JsonValueKind.Object } found
                ? found.GetProperty("id").GetInt64()
                : (long?)null;
        }, Ready, "a motion event with a stored clip");

    /// <summary>The stored clips the REST API lists now.</summary>
    public async Task<JsonElement[]> StoredClipsAsync() =>
        (await Network.ClipsAsync()).Where(c => c.GetProperty("state").GetString() == "stored").ToArray();
}
