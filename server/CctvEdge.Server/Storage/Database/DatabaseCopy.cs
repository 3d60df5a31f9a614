using System.Globalization;
using System.Text.RegularExpressions;
using CctvEdge.Storage;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace CctvEdge.Server.Storage.Database;

/// <summary>How far a copy has come: rows copied of all, and the table being copied.</summary>
internal readonly record struct CopyProgress(string Table, long Rows, long TotalRows);

/// <summary>One table's rows in the SQLite source and, after the copy, in PostgreSQL.</summary>
internal sealed record TableCount(string Table, long Source, long Target)
{
    public bool Matches => Source == Target;
}

/// <summary>A copy that must not start or could not finish; the target is left as it was.</summary>
internal sealed class DatabaseCopyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Copies every row of a server's SQLite database into an empty PostgreSQL database at the same schema version:
/// one read snapshot of the source, one transaction on the target (a failure leaves it empty), binary COPY per table
/// in foreign-key order, identity sequences moved past the copied ids, then the rows counted again on both sides.
/// The tables and columns come from the two schemas themselves, so a migration added later is copied too.
/// </summary>
internal static partial class DatabaseCopy
{
    private const int ProgressEvery = 5_000;
    private const string HiddenRowId = "rowid";

    /// <summary>The newest schema this server knows (both engines have the same script numbers).</summary>
    public static int NewestSchema { get; } = MigrationScripts.Read(typeof(ServerDatabase).Assembly, ServerDatabase.SqliteScripts).Max(s => s.Number);

    /// <summary>
    /// Tables a migration puts rows in (the rules' watermarks in settings): a new target has those rows, and the
    /// source's own replace them. Read off the scripts, so a later seed is known too.
    /// </summary>
    private static readonly HashSet<string> SeededByMigrations = MigrationScripts.Read(typeof(ServerDatabase).Assembly, ServerDatabase.PostgresScripts)
        .SelectMany(s => SeedInsert().Matches(s.Script).Select(m => m.Groups["table"].Value))
        .ToHashSet(StringComparer.Ordinal);

    public static async Task<IReadOnlyList<TableCount>> CopyAsync(SqliteDatabase source, PostgresServerDatabase target, IProgress<CopyProgress> progress, CancellationToken cancellationToken)
    {
        await using var reader = await source.OpenAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot for every table: rows a running server adds meanwhile are not half-copied.
        await using var snapshot = reader.BeginTransaction(deferred: true);
        await using var writer = (NpgsqlConnection)await target.OpenAsync(cancellationToken).ConfigureAwait(false);
        var tables = await PlanAsync(reader, writer, cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            counts[table.Name] = await reader.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{table.Name}\"", transaction: snapshot).ConfigureAwait(false);
            var existing = await writer.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{table.Name}\"").ConfigureAwait(false);
            if (existing > 0 && !SeededByMigrations.Contains(table.Name))
            {
                throw new DatabaseCopyException($"The target is not empty: table {table.Name} has {existing} rows. Copy into a new, empty database.");
            }
        }

        var total = counts.Values.Sum();
        long done = 0;
        await using (var transaction = await writer.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var table in tables)
            {
                progress.Report(new CopyProgress(table.Name, done, total));
                if (SeededByMigrations.Contains(table.Name))
                {
                    await writer.ExecuteAsync($"DELETE FROM \"{table.Name}\"", transaction: transaction).ConfigureAwait(false);
                }

                done = await CopyTableAsync(reader, snapshot, writer, table, done, total, progress, cancellationToken).ConfigureAwait(false);
                await MoveIdentitiesAsync(writer, table, transaction).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        progress.Report(new CopyProgress("", done, total));
        var result = new List<TableCount>();
        foreach (var table in tables)
        {
            result.Add(new TableCount(table.Name, counts[table.Name], await writer.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{table.Name}\"").ConfigureAwait(false)));
        }

        return result;
    }

    /// <summary>The tables to copy, parents before children, with the columns both sides have.</summary>
    private static async Task<IReadOnlyList<TablePlan>> PlanAsync(SqliteConnection source, NpgsqlConnection target, CancellationToken cancellationToken)
    {
        var sourceTables = (await source.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").ConfigureAwait(false)).ToList();
        var targetColumns = (await target.QueryAsync<(string Table, string Column, string Type, string Identity)>(
            """
            SELECT c.table_name, c.column_name, c.data_type, c.is_identity
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema = current_schema() AND c.table_name <> 'schema_version' AND c.is_generated = 'NEVER'
            ORDER BY c.table_name, c.ordinal_position
            """).ConfigureAwait(false))
            .GroupBy(c => c.Table, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var missing = sourceTables.Where(t => !targetColumns.ContainsKey(t)).Concat(targetColumns.Keys.Where(t => !sourceTables.Contains(t, StringComparer.Ordinal))).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new DatabaseCopyException($"The two schemas do not have the same tables ({string.Join(", ", missing)}); both must be at version {NewestSchema}.");
        }

        var plans = new Dictionary<string, TablePlan>(StringComparer.Ordinal);
        foreach (var name in sourceTables)
        {
            var sourceColumns = (await source.QueryAsync<string>($"SELECT name FROM pragma_table_info('{name}')").ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            var columns = targetColumns[name];
            // PostgreSQL spells out the order SQLite keeps as a table's hidden rowid (what the MQTT bridge's
            // checkpoints count in): the copy keeps the same numbers.
            if (columns.Any(c => c.Column == HiddenRowId) && !sourceColumns.Contains(HiddenRowId))
            {
                sourceColumns.Add(HiddenRowId);
            }

            var extra = sourceColumns.Where(c => columns.All(t => t.Column != c)).ToList();
            if (extra.Count > 0)
            {
                throw new DatabaseCopyException($"Table {name} has columns PostgreSQL's schema lacks ({string.Join(", ", extra)}).");
            }

            plans[name] = new TablePlan(
                name,
                columns.Where(c => sourceColumns.Contains(c.Column)).Select(c => new ColumnPlan(c.Column, TypeOf(name, c.Column, c.Type), c.Identity == "YES")).ToList());
        }

        var references = await target.QueryAsync<(string Child, string Parent)>(
            """
            SELECT DISTINCT tc.table_name, ccu.table_name
            FROM information_schema.table_constraints tc
            JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_schema = tc.constraint_schema AND ccu.constraint_name = tc.constraint_name
            WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()
            """).ConfigureAwait(false);
        return InDependencyOrder(plans, references.Where(r => r.Child != r.Parent).ToLookup(r => r.Child, r => r.Parent, StringComparer.Ordinal));
    }

    private static List<TablePlan> InDependencyOrder(Dictionary<string, TablePlan> plans, ILookup<string, string> parents)
    {
        var ordered = new List<TablePlan>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        void Place(string table, int depth)
        {
            if (placed.Contains(table) || depth > plans.Count)
            {
                return;
            }

            foreach (var parent in parents[table])
            {
                Place(parent, depth + 1);
            }

            if (placed.Add(table))
            {
                ordered.Add(plans[table]);
            }
        }

        foreach (var table in plans.Keys.Order(StringComparer.Ordinal))
        {
            Place(table, 0);
        }

        return ordered;
    }

    private static NpgsqlDbType TypeOf(string table, string column, string type) => type switch
    {
        "bigint" => NpgsqlDbType.Bigint,
        "integer" => NpgsqlDbType.Integer,
        "smallint" => NpgsqlDbType.Smallint,
        "boolean" => NpgsqlDbType.Boolean,
        "double precision" => NpgsqlDbType.Double,
        "real" => NpgsqlDbType.Real,
        "text" => NpgsqlDbType.Text,
        "bytea" => NpgsqlDbType.Bytea,
        "jsonb" => NpgsqlDbType.Jsonb,
        "json" => NpgsqlDbType.Json,
        _ => throw new DatabaseCopyException($"Column {table}.{column} has type {type}, which the copy does not know."),
    };

    private static async Task<long> CopyTableAsync(SqliteConnection source, SqliteTransaction snapshot, NpgsqlConnection target, TablePlan table, long done, long total, IProgress<CopyProgress> progress, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
        await using var command = source.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = $"SELECT {columns} FROM \"{table.Name}\"";
        await using var rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var importer = await target.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var column = table.Columns[i];
                var value = rows.IsDBNull(i) ? null : Convert(table.Name, column, rows.GetValue(i));
                if (value is null)
                {
                    await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await importer.WriteAsync(value, column.Type, cancellationToken).ConfigureAwait(false);
                }
            }

            if (++done % ProgressEvery == 0)
            {
                progress.Report(new CopyProgress(table.Name, done, total));
            }
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return done;
    }

    /// <summary>
    /// SQLite keeps what it was given whatever the column's type; PostgreSQL checks. A value that would change on the
    /// way (a fraction into an integer column, text into a number) stops the copy with the row's place named.
    /// </summary>
    private static object Convert(string table, ColumnPlan column, object value)
    {
        try
        {
            return (column.Type, value) switch
            {
                (NpgsqlDbType.Bigint, long l) => l,
                (NpgsqlDbType.Integer, long l) => checked((int)l),
                (NpgsqlDbType.Smallint, long l) => checked((short)l),
                (NpgsqlDbType.Boolean, long l) => l != 0,
                (NpgsqlDbType.Bigint or NpgsqlDbType.Integer or NpgsqlDbType.Smallint, double d) when d == Math.Floor(d) => Convert(table, column, (long)d),
                (NpgsqlDbType.Double, long l) => (double)l,
                (NpgsqlDbType.Double, double d) => d,
                (NpgsqlDbType.Real, long l) => (float)l,
                (NpgsqlDbType.Real, double d) => (float)d,
                (NpgsqlDbType.Text or NpgsqlDbType.Json or NpgsqlDbType.Jsonb, string s) => s,
                (NpgsqlDbType.Bytea, byte[] b) => b,
                _ => throw new DatabaseCopyException($"{table}.{column.Name} holds {value.GetType().Name} {Shown(value)}, which is not a {column.Type}."),
            };
        }
        catch (OverflowException ex)
        {
            throw new DatabaseCopyException($"{table}.{column.Name} holds {Shown(value)}, too large for a {column.Type}.", ex);
        }
    }

    private static string Shown(object value) => value switch
    {
        byte[] b => $"({b.Length} bytes)",
        string s when s.Length > 40 => $"'{s[..40]}...'",
        string s => $"'{s}'",
        _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Identity columns were given their ids by the copy: the next row PostgreSQL numbers comes after them.</summary>
    private static async Task MoveIdentitiesAsync(NpgsqlConnection target, TablePlan table, NpgsqlTransaction transaction)
    {
        foreach (var column in table.Columns.Where(c => c.Identity))
        {
            await target.ExecuteAsync(
                $"SELECT setval(pg_get_serial_sequence(@Table, @Column), COALESCE((SELECT MAX(\"{column.Name}\") FROM \"{table.Name}\"), 1), (SELECT COUNT(*) > 0 FROM \"{table.Name}\"))",
                new { Table = table.Name, Column = column.Name },
                transaction).ConfigureAwait(false);
        }
    }

    [GeneratedRegex(@"INSERT INTO (?<table>\w+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SeedInsert();

    private sealed record TablePlan(string Name, IReadOnlyList<ColumnPlan> Columns);

    private sealed record ColumnPlan(string Name, NpgsqlDbType Type, bool Identity);
}
