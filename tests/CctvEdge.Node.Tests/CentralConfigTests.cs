using CctvEdge.Harness;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Tests;

/// <summary>Configuration pushed by the fleet hub: checked, saved, applied live, or refused with nothing changed; and the fleet of camera workers it drives.</summary>
public sealed class CentralConfigTests : IDisposable
{
    private const string Yard = """[{"Id":"yard","Source":{"Kind":"synthetic"},"Plugins":{"motion":{"Threshold":25}}}]""";
    private readonly TempDirectory _data = new("cctvedge-central");

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Apply_ValidVersion_SavedAndInForceAndReadAtNextStart()
    {
        var (cameras, applier) = Create();
        var changes = 0;
        cameras.Changed += () => changes++;

        var refused = applier.Apply(new ApplyConfig { Version = 3, CamerasJson = Yard.Replace("]", """,{"Id":"gate","Enabled":false,"Source":{"Kind":"synthetic"}}]""", StringComparison.Ordinal) });

        Assert.Null(refused);
        Assert.Equal(1, changes);
        Assert.Equal(3UL, cameras.Version);
        Assert.Equal(["yard", "gate"], cameras.Current.Items.Select(c => c.Id));
        Assert.False(cameras.Current.Items[1].Enabled);
        var restarted = CentralConfigFile.TryRead(_data.Path)!;
        Assert.Equal(3UL, restarted.Version);
        Assert.Equal("25", restarted.Items[0].Plugins["motion"]["Threshold"]);
    }

    [Theory]
    [InlineData("""[{"Id":"yard","Source":{"Kind":"webcam"}}]""", "Cameras:0:Source:Kind")]
    [InlineData("""[{"Id":"yard","Source":{"Kind":"synthetic"},"Colour":true}]""", "Colour")]
    [InlineData("""[{"Id":"yard","Source":{"Kind":"synthetic"}},{"Id":"yard","Source":{"Kind":"synthetic"}}]""", "unique")]
    [InlineData("""{"Id":"yard"}""", "JSON array")]
    [InlineData("""[{"Id":""", "not valid JSON")]
    public void Apply_BadVersion_RefusedWithTheKeyAndNothingChanged(string json, string expected)
    {
        var (cameras, applier) = Create();
        var before = cameras.Current;

        var refused = applier.Apply(new ApplyConfig { Version = 2, CamerasJson = json });

        Assert.NotNull(refused);
        Assert.Contains(expected, refused, StringComparison.Ordinal);
        Assert.Same(before, cameras.Current);
        Assert.Null(CentralConfigFile.TryRead(_data.Path));
    }

    [Fact]
    public void TryRead_DamagedFile_ClearErrorNamingTheWayBack()
    {
        File.WriteAllText(CentralConfigFile.PathIn(_data.Path), "{ not json");

        var error = Assert.Throws<OptionsValidationException>(() => CentralConfigFile.TryRead(_data.Path));

        Assert.Contains("delete it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fleet_Changes_StartsStopsReplacesOnlyWhatChanged()
    {
        var started = new List<string>();
        var stopped = new List<string>();
        await using var fleet = new CameraFleet(
            c => TestCamera.Create(_data.Combine(c.Id), options: c),
            async (worker, stop) =>
            {
                started.Add(worker.Camera.Id);
                await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => stopped.Add(worker.Camera.Id), TaskScheduler.Default);
            });
        var yard = Camera("yard", width: 640);

        await fleet.ApplyAsync([yard, Camera("gate", width: 640)], CancellationToken.None);
        var firstYard = fleet.Workers[0];
        await fleet.ApplyAsync([Camera("yard", width: 640, name: "Front yard"), Camera("gate", width: 800), Camera("shed", width: 640, enabled: false)], CancellationToken.None);

        Assert.Same(firstYard, fleet.Workers[0]);
        Assert.Equal("Front yard", fleet.Workers[0].Camera.Name);
        Assert.Equal(["yard", "gate", "gate"], started);
        Assert.Equal(["gate"], stopped);
        Assert.Equal(2, fleet.Workers.Count);

        await fleet.ApplyAsync([], CancellationToken.None);
        Assert.Empty(fleet.Workers);
        Assert.Equal(["gate", "gate", "yard"], stopped.Order());
    }

    private static CameraOptions Camera(string id, int width, string name = "", bool enabled = true)
    {
        var camera = TestCamera.Options();
        camera.Id = id;
        camera.Name = name;
        camera.Enabled = enabled;
        camera.Source.Width = width;
        return camera;
    }

    private (CameraConfiguration Cameras, CentralConfigApplier Applier) Create()
    {
        var cameras = new CameraConfiguration(Options.Create(CentralConfigFile.Parse(Yard)));
        var applier = new CentralConfigApplier(cameras, new NodeConfigurationValidator(), Options.Create(new NodeOptions { Id = "n", DataDirectory = _data.Path }), NullLogger<CentralConfigApplier>.Instance);
        return (cameras, applier);
    }
}
