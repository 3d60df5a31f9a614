namespace CctvEdge.Web.Services;

/// <summary>The sites nodes are grouped in (set on the fleet page); every page can be narrowed to one.</summary>
public interface ISiteQuery
{
    /// <summary>The sites that have at least one node, in order; empty when no node has a site.</summary>
    Task<IReadOnlyList<string>> GetSitesAsync(CancellationToken cancellationToken);
}
