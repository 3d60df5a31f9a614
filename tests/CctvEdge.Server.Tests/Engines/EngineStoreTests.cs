using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Database;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CctvEdge.Server.Tests.Engines;

/// <summary>
/// What the store tests of every engine share: a fresh migrated database of the engine the derived class picks,
/// nodes barn (camera yard) and shed (camera door) registered, a fake clock and results to store.
/// </summary>
public abstract class EngineStoreTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);
    private readonly ITestDatabases _databases;

    private protected EngineStoreTests(Func<TempDirectory, ITestDatabases> databases) => _databases = databases(Temp);

    protected TempDirectory Temp { get; } = new("cctvedge-engine");

    protected FakeTimeProvider Clock { get; } = new(T0.AddHours(1));

    private protected ServerDatabase Database { get; private set; } = null!;

    private protected NodeStore Nodes => new(Database, Clock);

    private protected ResultIngestor Ingestor => new(Database, new MediaStore(Temp.Path), Clock, [], NullLogger<ResultIngestor>.Instance);

    public async Task InitializeAsync()
    {
        Database = await _databases.CreateAsync();
        await Nodes.RegisterAsync(NodeSessionClient.Hello("barn", "yard"), CancellationToken.None);
        await Nodes.RegisterAsync(NodeSessionClient.Hello("shed", "door"), CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Temp.Dispose();
        return Task.CompletedTask;
    }

    protected static Result Motion(ulong sequence, string eventId, double peak = 1, DateTimeOffset? end = null, string camera = "yard", DateTimeOffset? start = null, string kind = "motion", string[]? zones = null, string payload = "") => new()
    {
        Sequence = sequence,
        CameraId = camera,
        PluginId = "motion",
        Event = new Event { EventId = eventId, Kind = kind, Start = Timestamp.FromDateTimeOffset(start ?? T0), End = end is { } e ? Timestamp.FromDateTimeOffset(e) : null, Peak = peak, Zones = { zones ?? [] }, PayloadJson = payload },
    };

    protected static Result Magnitude(ulong sequence, double value, DateTimeOffset at) => new()
    {
        Sequence = sequence,
        CameraId = "yard",
        PluginId = "motion",
        Measurement = new Measurement { Name = MotionMinutes.Series, Value = value, At = Timestamp.FromDateTimeOffset(at) },
    };

    protected static Result Clip(ulong sequence, string clipId, DateTimeOffset start, DateTimeOffset end) => new()
    {
        Sequence = sequence,
        CameraId = "yard",
        PluginId = "recording",
        Clip = new ClipInfo { ClipId = clipId, Reason = "event", Size = 1000, Sha256 = ByteString.CopyFrom(new byte[32]), Start = Timestamp.FromDateTimeOffset(start), End = Timestamp.FromDateTimeOffset(end) },
    };
}
