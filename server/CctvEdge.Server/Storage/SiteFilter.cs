namespace CctvEdge.Server.Storage;

/// <summary>The SQL that narrows a query to one site's nodes (the fleet page's sites); the query binds <c>@Site</c>.</summary>
internal static class SiteFilter
{
    /// <summary>An <c>AND</c> clause on <paramref name="nodeColumn"/>, or nothing for every site.</summary>
    public static string Sql(string? site, string nodeColumn) => site is null ? "" : $" AND {nodeColumn} IN (SELECT id FROM nodes WHERE site = @Site)";
}
