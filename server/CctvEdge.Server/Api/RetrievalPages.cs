using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Api;

/// <summary>The events page's retrievals, through the same checks and records as <c>POST /api/retrievals</c>.</summary>
internal sealed class RetrievalPages(VideoRetrievals retrievals, RetrievalStore store) : IVideoRetrievals
{
    /// <summary>A day's worth on the page: more than anyone fetches by hand.</summary>
    private const int MaxListed = 50;

    public async Task<RetrievalOutcome> RequestAsync(CameraKey camera, DateTimeOffset from, DateTimeOffset to, string requestedBy, CancellationToken cancellationToken)
    {
        var (id, _, problem) = await retrievals.TryRequestAsync(camera.NodeId, camera.CameraId, from, to, requestedBy, cancellationToken).ConfigureAwait(false);
        return id is null ? new RetrievalOutcome(null, problem) : new RetrievalOutcome(View((await store.FindAsync(id, cancellationToken).ConfigureAwait(false))!), null);
    }

    public async Task<IReadOnlyList<RetrievalView>> ListAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        (await store.OverlappingAsync(from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), MaxListed, cancellationToken).ConfigureAwait(false)).Select(View).ToList();

    private static RetrievalView View(RetrievalRow row) => new(
        row.Id,
        new CameraKey(row.NodeId, row.CameraId),
        DateTimeOffset.FromUnixTimeMilliseconds(row.StartMs),
        DateTimeOffset.FromUnixTimeMilliseconds(row.EndMs),
        row.Progress,
        row.Error,
        row.ClipState is null ? null : row.Id);
}
