using System.Globalization;
using Npgsql;

namespace CctvEdge.Harness;

/// <summary>
/// A throwaway PostgreSQL 15 (Debian's postgresql-15, which scripts/test.sh installs): a fresh cluster in a scratch
/// folder, on 127.0.0.1 and a free port only, without fsync (a test's data need not survive a power cut), and a new
/// empty database for each test that asks. Missing binaries fail the test rather than skip it: a skipped engine
/// would pass a port nobody ran. PostgreSQL refuses to run as root, so under root it runs as the postgres user.
/// </summary>
public sealed class PostgresServer : LoopbackDaemon
{
    private const string User = "postgres";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private readonly string _binaries;
    private readonly bool _durable;
    private int _databases;

    private PostgresServer(string binaries, bool durable)
        : base("postgres")
    {
        _binaries = binaries;
        _durable = durable;
    }

    private string DataDirectory => Directory.Combine("data");

    /// <summary>
    /// Starts a new cluster. <paramref name="durable"/> keeps PostgreSQL's fsync and synchronous commits, as a real
    /// installation has them (a benchmark beside SQLite with synchronous=FULL); tests go without.
    /// </summary>
    public static Task<PostgresServer> StartAsync(bool durable = false) => StartAsync(new PostgresServer(FindBinaries(), durable), s => s.InitAsync());

    /// <summary>
    /// Creates a new empty database (or a copy of <paramref name="template"/>, which must have no open connection)
    /// and returns its connection string; without <paramref name="pooling"/> no connection outlives its use (for a
    /// test that drops what it made), with it the connections stay open for reuse, as a server's do.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(bool pooling = false, string? template = null)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}");
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres", pooling: false)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}{(template is null ? "" : $" TEMPLATE {new NpgsqlConnectionStringBuilder(template).Database}")}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name, pooling);
    }

    protected override (ChildProcess Process, string ReadyLine) Launch() =>
        (Run("postgres", "postgres", ["-D", DataDirectory, "-c", "listen_addresses=127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-k", DataDirectory, "-c", "max_connections=300", .. (_durable ? Array.Empty<string>() : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])]),
            "database system is ready to accept connections");

    /// <summary>A fast shutdown, so the server removes its shared memory (a kill would leave it behind).</summary>
    protected override async Task StopCleanlyAsync()
    {
        await using var stop = Run("pg_ctl", "pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "20"]);
        await stop.WaitForExitAsync(ToolTimeout);
    }

    private string ConnectionString(string database, bool pooling) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Database = database,
        Pooling = pooling,
    }.ToString();

    /// <summary>A new cluster in the scratch folder, which the postgres user must own to write it.</summary>
    private async Task InitAsync()
    {
        if (Environment.UserName == "root")
        {
            await SucceedsAsync(ChildProcess.Start("chown", "/bin/chown", ["-R", $"{User}:", Directory.Path], Directory.Path));
        }

        await SucceedsAsync(Run("initdb", "initdb", ["-D", DataDirectory, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]));
    }

    /// <summary>Starts one of PostgreSQL's programs, as the postgres user when the tests run as root.</summary>
    private ChildProcess Run(string name, string program, IEnumerable<string> arguments)
    {
        var path = Path.Combine(_binaries, program);
        return Environment.UserName == "root"
            ? ChildProcess.Start(name, "/usr/sbin/runuser", ["-u", User, "--", path, .. arguments], Directory.Path)
            : ChildProcess.Start(name, path, arguments, Directory.Path);
    }

    private static async Task SucceedsAsync(ChildProcess process)
    {
        await using (process)
        {
            if (await process.WaitForExitAsync(ToolTimeout) != 0)
            {
                throw new InvalidOperationException($"{process.Name} failed: {process.Output}");
            }
        }
    }

    /// <summary>The newest installed PostgreSQL of at least version 15.</summary>
    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var found = System.IO.Directory.Exists(root)
            ? System.IO.Directory.GetDirectories(root)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0, Bin: Path.Combine(d, "bin")))
                .Where(p => p.Version >= 15 && File.Exists(Path.Combine(p.Bin, "postgres")))
                .OrderByDescending(p => p.Version)
                .Select(p => p.Bin)
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException($"No PostgreSQL 15 or newer under {root}: install Debian's postgresql-15 (scripts/test.sh does).");
    }
}
