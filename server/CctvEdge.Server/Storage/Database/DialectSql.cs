namespace CctvEdge.Server.Storage.Database;

/// <summary>
/// One statement whose text differs by dialect, built once per dialect: the ingest path caches its commands by SQL
/// text, so the text must not be rebuilt per result.
/// </summary>
internal sealed class DialectSql(Func<SqlDialect, string> build)
{
    private readonly string _sqlite = build(SqlDialect.Sqlite);
    private readonly string _postgres = build(SqlDialect.Postgres);

    public string For(SqlDialect dialect) => dialect == SqlDialect.Postgres ? _postgres : _sqlite;
}
