using System.Data;
using System.Data.Common;
using Dapper;

namespace CctvEdge.Server.Storage;

/// <summary>
/// What saving a named thing (a camera group, a notification channel or rule) did. Names are unique whatever their
/// case, so a second "Barn" is refused rather than shadowing the first.
/// </summary>
internal enum SaveOutcome
{
    Saved,
    NameTaken,
    NotFound,
}

/// <summary>The uniqueness check every named-thing store makes inside its save transaction.</summary>
internal static class NamedRows
{
    private static readonly HashSet<string> Tables = ["camera_groups", "notification_channels", "notification_rules"];

    /// <summary>The id of another row of <paramref name="table"/> already called <paramref name="name"/> (the column's collation decides case), if any.</summary>
    public static Task<long?> NameTakenByAsync(this DbConnection connection, string table, string name, long? id, IDbTransaction transaction)
    {
        // The table name is spliced into the SQL, so only the known ones pass.
        if (!Tables.Contains(table))
        {
            throw new ArgumentOutOfRangeException(nameof(table), table, "not a table of named things");
        }

        return connection.ExecuteScalarAsync<long?>($"SELECT id FROM {table} WHERE name = @Name AND id IS DISTINCT FROM @Id", new { Name = name, Id = id }, transaction);
    }
}
