using System.Data.Common;

namespace CctvEdge.Server.Storage;

/// <summary>
/// Commands kept for the length of one transaction, one per SQL text, so a statement run for every result of a
/// batch is prepared by SQLite once, not once a row (which is what a fresh command per call costs, and was most of
/// the server's time per result while a node replayed its backlog). On PostgreSQL the same commands are prepared
/// on the server by Npgsql's automatic preparation (see <see cref="Database.PostgresServerDatabase"/>).
/// </summary>
internal sealed class PreparedStatements(DbConnection connection, DbTransaction transaction) : IDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="sql"/> with its parameters given by name, in the order of first use.</summary>
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }

            _commands[sql] = command;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        return command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
    }
}
