using CctvEdge.Harness;
using CctvEdge.Node.Outbox;
using CctvEdge.Storage;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CctvEdge.Node.Tests;

/// <summary>A real outbox (SQLite file, migrated, writer running) in a temporary folder; reopen it to simulate a restart.</summary>
internal sealed class TestOutbox : IAsyncDisposable
{
    private readonly TempDirectory? _owned;

    private TestOutbox(string directory, TempDirectory? owned, SqliteDatabase database, DurableResultOutbox results, ClipQueue clips)
    {
        Directory = directory;
        _owned = owned;
        Database = database;
        Results = results;
        Clips = clips;
    }

    public string Directory { get; }

    public SqliteDatabase Database { get; }

    public DurableResultOutbox Results { get; }

    public ClipQueue Clips { get; }

    public static async Task<TestOutbox> OpenAsync(string? directory = null, int capacity = 100_000, TimeProvider? clock = null)
    {
        var owned = directory is null ? new TempDirectory("cctvedge-outbox") : null;
        var path = directory ?? owned!.Path;
        var database = new SqliteDatabase(Path.Combine(path, "outbox.db"), NullLogger.Instance);
        await database.MigrateAsync(typeof(DurableResultOutbox).Assembly, "CctvEdge.Node.Outbox.Schema.", CancellationToken.None);
        var results = new DurableResultOutbox(database, capacity, clock ?? TimeProvider.System, NullLogger<DurableResultOutbox>.Instance);
        await results.StartAsync(Path.Combine(path, "state", "sequence"), CancellationToken.None);
        return new TestOutbox(path, owned, database, results, new ClipQueue(database, results, clock ?? TimeProvider.System));
    }

    public async ValueTask DisposeAsync()
    {
        await Results.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _owned?.Dispose();
    }
}
