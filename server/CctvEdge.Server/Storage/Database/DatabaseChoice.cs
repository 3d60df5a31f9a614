using Npgsql;

namespace CctvEdge.Server.Storage.Database;

/// <summary><c>Server:Database</c>: which engine holds the server's rows, and what each needs.</summary>
internal static class DatabaseChoice
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static IEnumerable<string> Validate(string database, string connectionString)
    {
        switch (database)
        {
            case Sqlite:
                yield break;
            case Postgres when string.IsNullOrWhiteSpace(connectionString):
                yield return "Server:Database 'postgres' needs Server:ConnectionString (e.g. Host=db;Database=cctvedge;Username=cctvedge;Password=...).";
                break;
            case Postgres when Unreadable(connectionString) is { } reason:
                // Npgsql's message names the key at fault and never the password's value.
                yield return $"Server:ConnectionString is not a PostgreSQL connection string: {reason}";
                break;
            case Postgres:
                yield break;
            default:
                yield return $"Server:Database '{database}' is not known; use '{Sqlite}' or '{Postgres}'.";
                break;
        }
    }

    private static string? Unreadable(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }
}
