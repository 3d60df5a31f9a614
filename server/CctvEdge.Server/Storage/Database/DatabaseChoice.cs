using System.Reflection;
using CctvEdge.Storage;

namespace CctvEdge.Server.Storage.Database;

/// <summary>
/// <c>Server:Database</c>: which engine holds the server's rows. PostgreSQL is refused until every store runs on the
/// <see cref="ServerDatabase"/> seam: a server whose ingest runs on PostgreSQL while its rules still open a SQLite file
/// would lose data quietly, which is worse than not starting.
/// </summary>
internal static class DatabaseChoice
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>
    /// The classes that still take the SQLite database itself rather than the seam: the stores not yet ported. Read
    /// off the constructors, so the list shrinks as stores are ported and cannot be forgotten.
    /// </summary>
    public static IReadOnlyList<string> UnportedStores { get; } = typeof(DatabaseChoice).Assembly.GetTypes()
        .Where(t => t != typeof(SqliteServerDatabase) && t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(SqliteDatabase))))
        .Select(t => t.Name)
        .Order(StringComparer.Ordinal)
        .ToList();

    public static IEnumerable<string> Validate(string database, string connectionString)
    {
        switch (database)
        {
            case Sqlite:
                yield break;
            case Postgres when string.IsNullOrWhiteSpace(connectionString):
                yield return "Server:Database 'postgres' needs Server:ConnectionString (e.g. Host=db;Database=cctvedge;Username=cctvedge;Password=...).";
                break;
            case Postgres when UnportedStores.Count > 0:
                yield return $"Server:Database 'postgres' is not available yet: stores {string.Join(", ", UnportedStores)} are not ported. Use 'sqlite'.";
                break;
            case Postgres:
                yield break;
            default:
                yield return $"Server:Database '{database}' is not known; use '{Sqlite}' or '{Postgres}'.";
                break;
        }
    }
}
