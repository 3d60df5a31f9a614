using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Api;

/// <summary>The sites the pages offer to narrow to, from the nodes' own.</summary>
internal sealed class SiteQuery(NodeStore nodes) : ISiteQuery
{
    public Task<IReadOnlyList<string>> GetSitesAsync(CancellationToken cancellationToken) => nodes.ListSitesAsync(cancellationToken);
}
