using CctvEdge.Server.Accounts;
using CctvEdge.Server.Api;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Audit;

/// <summary><c>GET /api/audit</c>: the audit log for admins, newest first.</summary>
internal static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/audit", ListAsync).WithTags("Audit").RequireAuthorization(ApiScopes.AdminPolicy)
            .WithSummary("The audit log: every write through the API and the web app's pages (who, via what, what, when, outcome); limit 1..1000 (100), offset, actor, from, to.")
            .ProducesValidationProblem();
        return endpoints;
    }

    private static async Task<IResult> ListAsync(int? limit, int? offset, string? actor, string? from, string? to, AuditStore store, CancellationToken ct)
    {
        var errors = new QueryErrors();
        var take = errors.Int(limit, "limit", 100, 1, 1000);
        var skip = errors.Int(offset, "offset", 0, 0, int.MaxValue);
        var since = errors.Time(from, "from");
        var until = errors.Time(to, "to");
        return errors.Any ? errors.Problem() : TypedResults.Ok(await EntriesAsync(store, take, skip, actor, since, until, ct));
    }

    /// <summary>The API's and the fleet page's read of the log.</summary>
    public static async Task<IReadOnlyList<AuditEntry>> EntriesAsync(AuditStore store, int limit, int offset, string? actor, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
        (await store.ListAsync(limit, offset, string.IsNullOrWhiteSpace(actor) ? null : actor, from, to, ct).ConfigureAwait(false))
            .Select(r => new AuditEntry(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs), r.Actor, r.Via, r.Action, r.Target, r.Outcome, r.Remote))
            .ToList();
}
