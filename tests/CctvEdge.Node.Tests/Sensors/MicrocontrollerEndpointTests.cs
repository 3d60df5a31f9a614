using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Node.Sensors;
using CctvEdge.Node.Sensors.Microcontrollers;
using CctvEdge.Protocol.V1;
using CctvEdge.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Tests.Sensors;

/// <summary>POST /input and GET /output over real HTTP on loopback, readings checked in the node's real outbox.</summary>
public sealed class MicrocontrollerEndpointTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private TestOutbox _outbox = null!;
    private MicrocontrollerEndpoint _endpoint = null!;
    private MicrocontrollerOptions _options = null!;
    private MicrocontrollerDevices _devices = null!;

    public async Task InitializeAsync()
    {
        _outbox = await TestOutbox.OpenAsync();
        await StartAsync(acceptUnknown: false);
    }

    public async Task DisposeAsync()
    {
        await _endpoint.StopAsync(CancellationToken.None);
        _endpoint.Dispose();
        _http.Dispose();
        await _outbox.DisposeAsync();
    }

    [Fact]
    public async Task Input_ValidPost_StoresEachValueAsAReadingOfTheDevicesSensor()
    {
        var response = await PostAsync("""{"device": "vib-1", "values": {"vibration": 0.12, "temperature": {"value": 21.5, "unit": "°C"}}, "at": "2026-12-07T10:00:00Z", "token": "s3cret"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stored").GetInt32());
        var results = await ResultsAsync();
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(("vib-1", "microcontroller", "yard"), (r.SensorId, r.PluginId, r.CameraId)));
        Assert.Equal(("vibration", 0.12, ""), (results[0].Measurement.Name, results[0].Measurement.Value, results[0].Measurement.Unit));
        Assert.Equal(("temperature", 21.5, "°C"), (results[1].Measurement.Name, results[1].Measurement.Value, results[1].Measurement.Unit));
        Assert.Equal(DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), results[0].Measurement.At.ToDateTimeOffset());
    }

    [Fact]
    public async Task Input_TokenInAuthorizationHeader_IsAccepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("/input")) { Content = Json("""{"device": "vib-1", "values": {"vibration": 0.5}}""") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret");

        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(request)).StatusCode);
        Assert.Single(await ResultsAsync());
    }

    [Theory]
    [InlineData("""{"device": "vib-1", "values": {"vibration": 0.1}""", 400, "body is not JSON")]
    [InlineData("""[1, 2]""", 400, "body must be a JSON object")]
    [InlineData("""{"values": {"vibration": 0.1}}""", 400, "device is required")]
    [InlineData("""{"device": "vib-1", "values": {"vibration": 0.1, "state": "on"}, "token": "s3cret"}""", 400, "values.state must be a finite number")]
    [InlineData("""{"device": "vib-1", "values": {"a b": 1}, "token": "s3cret"}""", 400, "value name 'a b'")]
    [InlineData("""{"device": "vib-1", "values": {"t": 1}, "at": "yesterday", "token": "s3cret"}""", 400, "at 'yesterday' is not an ISO 8601 time")]
    [InlineData("""{"device": "vib-1", "values": {}, "token": "s3cret"}""", 400, "values is empty")]
    [InlineData("""{"device": "vib-1", "values": {"vibration": 0.1}, "token": "guess"}""", 401, "needs its token")]
    [InlineData("""{"device": "vib-1", "values": {"vibration": 0.1}}""", 401, "needs its token")]
    [InlineData("""{"device": "stranger", "values": {"vibration": 0.1}}""", 403, "device 'stranger' is not configured")]
    public async Task Input_BadPost_IsRefusedWithAMessageAndStoresNothing(string body, int status, string expected)
    {
        var response = await PostAsync(body);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(await ResultsAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Input_OversizedBody_Is413WithOrWithoutContentLength(bool chunked)
    {
        var padding = new string(' ', _options.MaxBodyBytes);
        var content = new StringContent($$"""{"device": "vib-1", "values": {"vibration": 0.1}, "token": "s3cret"{{padding}}}""", Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("/input")) { Content = content };
        request.Headers.TransferEncodingChunked = chunked;

        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await ResultsAsync());
    }

    [Fact]
    public async Task Input_UnknownDevice_IsTakenWhenAcceptUnknownIsOn()
    {
        await RestartAsync(acceptUnknown: true);

        var response = await PostAsync("""{"device": "esp32-shed", "values": {"humidity": 61}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reading = Assert.Single(await ResultsAsync());
        Assert.Equal(("esp32-shed", ""), (reading.SensorId, reading.CameraId));
    }

    [Fact]
    public async Task Output_ConfiguredOutputs_AreTypedJson()
    {
        var response = await _http.GetAsync(Url("/output?device=vib-1&token=s3cret"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outputs = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outputs");
        Assert.True(outputs.GetProperty("relay").GetBoolean());
        Assert.Equal(3, outputs.GetProperty("siren").GetInt32());
        Assert.Equal("slow", outputs.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task SetOutputs_ReplacesWhatTheBoardGets_AndSurvivesARestart()
    {
        Assert.Null(await _devices.SetOutputsAsync("vib-1", new Dictionary<string, string> { ["relay"] = "false", ["siren"] = "1" }, CancellationToken.None));
        Assert.Equal("""{"outputs":{"relay":false,"siren":1}}""", await _http.GetStringAsync(Url("/output?device=vib-1&token=s3cret")));

        await RestartAsync(acceptUnknown: false);

        Assert.Equal("""{"outputs":{"relay":false,"siren":1}}""", await _http.GetStringAsync(Url("/output?device=vib-1&token=s3cret")));
        Assert.Contains("'barn' is not a microcontroller of this node", await _devices.SetOutputsAsync("barn", new Dictionary<string, string>(), CancellationToken.None), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/output?device=vib-1", 401)]
    [InlineData("/output", 400)]
    [InlineData("/output?device=nobody", 403)]
    [InlineData("/elsewhere", 404)]
    [InlineData("/input", 405)]
    public async Task Get_Refusals(string path, int status)
    {
        Assert.Equal(status, (int)(await _http.GetAsync(Url(path))).StatusCode);
    }

    private async Task StartAsync(bool acceptUnknown)
    {
        _options = new MicrocontrollerOptions { Port = FreePort.Next(), BindAddress = "127.0.0.1", AcceptUnknown = acceptUnknown, MaxBodyBytes = 1024 };
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["S:Token"] = "s3cret",
            ["S:Outputs:relay"] = "true",
            ["S:Outputs:siren"] = "3",
            ["S:Outputs:mode"] = "slow",
        }).Build().GetSection("S");
        var sensors = new SensorsOptions();
        sensors.Items.Add(new SensorOptions { Id = "vib-1", Plugin = "microcontroller", Camera = "yard", Settings = settings, Path = "Sensors:0" });
        _devices = new MicrocontrollerDevices(Options.Create(sensors), Options.Create(_options), Options.Create(new Configuration.NodeOptions { DataDirectory = _outbox.Directory }), _outbox.Results, TimeProvider.System);
        _endpoint = new MicrocontrollerEndpoint(Options.Create(_options), _devices, TimeProvider.System, NullLogger<MicrocontrollerEndpoint>.Instance);
        await _endpoint.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    return (await _http.GetAsync(Url("/elsewhere"))).StatusCode == HttpStatusCode.NotFound;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(10),
            "the endpoint listening");
    }

    private async Task RestartAsync(bool acceptUnknown)
    {
        await _endpoint.StopAsync(CancellationToken.None);
        _endpoint.Dispose();
        await StartAsync(acceptUnknown);
    }

    private Uri Url(string path) => new($"http://127.0.0.1:{_options.Port}{path}");

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> PostAsync(string body) => _http.PostAsync(Url("/input"), Json(body));

    private async Task<IReadOnlyList<Result>> ResultsAsync() => await _outbox.Results.ReadAfterAsync(0, 100, CancellationToken.None);
}
