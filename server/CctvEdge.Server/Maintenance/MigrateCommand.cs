using System.Diagnostics;
using System.Globalization;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CctvEdge.Server.Maintenance;

/// <summary>
/// <c>cctvedge-server migrate --from sqlite:PATH --to postgres:CONNECTION</c>: moves an installation's rows from its
/// SQLite file into an empty PostgreSQL database, with a progress bar on a terminal and every table counted on both
/// sides at the end. Clips and pictures stay where they are (the data directory or the bucket): only rows move.
/// Exit 0 when every count matches, 1 when the copy failed or a count differs (the target is left empty on a
/// failure), 2 for bad arguments.
/// </summary>
internal static class MigrateCommand
{
    private const string SqlitePrefix = "sqlite:";
    private const string PostgresPrefix = "postgres:";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool terminal, CancellationToken cancellationToken)
    {
        if (Parse(args) is not ({ } from, { } to))
        {
            await error.WriteLineAsync($"usage: cctvedge-server migrate --from {SqlitePrefix}PATH --to {PostgresPrefix}CONNECTION (e.g. --to \"postgres:Host=db;Database=cctvedge;Username=cctvedge;Password=...\")");
            return 2;
        }

        if (!File.Exists(from))
        {
            await error.WriteLineAsync($"cctvedge-server migrate: no SQLite database at {Path.GetFullPath(from)}.");
            return 2;
        }

        NpgsqlConnectionStringBuilder connection;
        try
        {
            connection = new NpgsqlConnectionStringBuilder(to);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"cctvedge-server migrate: the PostgreSQL connection string is not valid: {ex.Message}");
            return 2;
        }

        var source = new SqliteServerDatabase(new SqliteDatabase(from, NullLogger.Instance));
        await using var target = new PostgresServerDatabase(connection.ConnectionString, NullLogger.Instance);
        try
        {
            if (!await SameSchemaAsync(source, target, output, error, cancellationToken).ConfigureAwait(false))
            {
                return 1;
            }

            var clock = Stopwatch.StartNew();
            var bar = new ProgressBar(error, terminal);
            var counts = await DatabaseCopy.CopyAsync(source.Sqlite, target, bar, cancellationToken).ConfigureAwait(false);
            bar.Done();
            return await ReportAsync(counts, target.Location, clock.Elapsed, output, error).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DatabaseCopyException or NpgsqlException or Microsoft.Data.Sqlite.SqliteException)
        {
            await error.WriteLineAsync();
            await error.WriteLineAsync($"cctvedge-server migrate: {ex.Message}");
            await error.WriteLineAsync("Nothing was copied: the target database is as it was.");
            return 1;
        }
    }

    private static (string? From, string? To) Parse(string[] args)
    {
        string? from = null, to = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--from" when args[i + 1].StartsWith(SqlitePrefix, StringComparison.Ordinal):
                    from = args[i + 1][SqlitePrefix.Length..];
                    break;
                case "--to" when args[i + 1].StartsWith(PostgresPrefix, StringComparison.Ordinal):
                    to = args[i + 1][PostgresPrefix.Length..];
                    break;
                default:
                    return (null, null);
            }
        }

        return args.Length % 2 == 0 && !string.IsNullOrWhiteSpace(from) && !string.IsNullOrWhiteSpace(to) ? (from, to) : (null, null);
    }

    /// <summary>
    /// Brings both to this server's schema: an older source is upgraded as the server itself would on its next start;
    /// a source or target from a newer server is refused (this one would not know its tables).
    /// </summary>
    private static async Task<bool> SameSchemaAsync(SqliteServerDatabase source, PostgresServerDatabase target, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var sourceVersion = await source.SchemaVersionAsync(cancellationToken).ConfigureAwait(false);
        if (sourceVersion > DatabaseCopy.NewestSchema)
        {
            await error.WriteLineAsync($"cctvedge-server migrate: {source.Location} is at schema {sourceVersion}, made by a newer server than this one (schema {DatabaseCopy.NewestSchema}). Migrate with that server's version.");
            return false;
        }

        if (sourceVersion < DatabaseCopy.NewestSchema)
        {
            await source.MigrateAsync(cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"Upgraded {source.Location} from schema {sourceVersion} to {DatabaseCopy.NewestSchema}, as the server does when it starts.");
        }

        await target.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var targetVersion = await target.SchemaVersionAsync(cancellationToken).ConfigureAwait(false);
        if (targetVersion != DatabaseCopy.NewestSchema)
        {
            await error.WriteLineAsync($"cctvedge-server migrate: {target.Location} is at schema {targetVersion}, made by a newer server than this one (schema {DatabaseCopy.NewestSchema}).");
            return false;
        }

        return true;
    }

    private static async Task<int> ReportAsync(IReadOnlyList<TableCount> counts, string target, TimeSpan took, TextWriter output, TextWriter error)
    {
        var width = counts.Max(c => c.Table.Length);
        await output.WriteLineAsync($"{"table".PadRight(width)}  {"sqlite",10}  {"postgres",10}");
        foreach (var count in counts)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{count.Table.PadRight(width)}  {count.Source,10:N0}  {count.Target,10:N0}{(count.Matches ? "" : "  DIFFERS")}"));
        }

        var rows = counts.Sum(c => c.Source);
        if (counts.Where(c => !c.Matches).Select(c => c.Table).ToList() is { Count: > 0 } differing)
        {
            await error.WriteLineAsync($"cctvedge-server migrate: the counts differ in {string.Join(", ", differing)}; do not use {target} until this is understood.");
            return 1;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Copied {rows:N0} rows of {counts.Count} tables into {target} in {took.TotalSeconds:0.0} s; every count verified."));
        await output.WriteLineAsync("Start the server with --Server:Database postgres --Server:ConnectionString \"...\" and the same --data folder (clips and pictures stay there).");
        return 0;
    }

    /// <summary>A bar redrawn in place on a terminal; one line per table when the output is a file or a pipe.</summary>
    private sealed class ProgressBar(TextWriter writer, bool terminal) : IProgress<CopyProgress>
    {
        private const int Width = 30;
        private string _table = "";

        public void Report(CopyProgress value)
        {
            if (terminal)
            {
                var fraction = value.TotalRows == 0 ? 1 : (double)value.Rows / value.TotalRows;
                var filled = (int)(fraction * Width);
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {fraction,4:P0} {value.Rows:N0}/{value.TotalRows:N0} rows  {value.Table,-28}"));
            }
            else if (value.Table != _table && value.Table.Length > 0)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"copying {value.Table} ({value.Rows:N0}/{value.TotalRows:N0} rows so far)"));
            }

            _table = value.Table;
        }

        public void Done()
        {
            if (terminal)
            {
                writer.WriteLine();
            }
        }
    }
}
