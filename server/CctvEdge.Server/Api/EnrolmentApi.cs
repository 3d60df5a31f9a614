using System.Security.Claims;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Sessions;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CctvEdge.Server.Api;

/// <summary>What an admin posts to issue an enrolment code; every field optional.</summary>
internal sealed record EnrolmentCodeRequest(string? NodeId, int? ExpiresInHours, string? Comment);

/// <summary>An issued code: the only time the code itself is shown.</summary>
internal sealed record CreatedEnrolmentCode(long Id, string Code, string? NodeId, DateTimeOffset Expires, string Comment);

/// <summary>
/// Enrolment codes for the fleet hub (admins only): issue one for a node about to be installed, list them, revoke
/// one not yet used, and revoke a node's credential (its session is closed and it is refused until it enrols again).
/// </summary>
internal static class EnrolmentApi
{
    public const int DefaultHours = 24;
    public const int MaxHours = 24 * 30;

    public static IEndpointRouteBuilder MapEnrolmentApi(this IEndpointRouteBuilder endpoints)
    {
        var codes = endpoints.MapGroup("/api/enrolment-codes").WithTags("Enrolment").RequireAuthorization(ApiScopes.AdminPolicy);
        codes.MapPost("", CreateAsync).WithSummary("Issue a one-time enrolment code; the code is in this answer only.").ProducesValidationProblem();
        codes.MapGet("", ListAsync).WithSummary("Every enrolment code and its state (active, used, expired, revoked).");
        codes.MapDelete("/{id:long}", async Task<Results<NoContent, NotFound>> (long id, EnrolmentStore store, CancellationToken ct) =>
            await store.RevokeCodeAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound()).WithSummary("Revoke an enrolment code that has not been used.");
        endpoints.MapDelete("/api/nodes/{nodeId}/credential", RevokeCredentialAsync).WithTags("Enrolment").RequireAuthorization(ApiScopes.AdminPolicy)
            .WithSummary("Revoke an enrolled node's credential: its session ends and it is refused until it enrols again.");
        return endpoints;
    }

    /// <summary>Every code with its state, newest first (the API's and the fleet page's list).</summary>
    public static async Task<IReadOnlyList<EnrolmentCodeEntry>> ListAsync(EnrolmentStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return (await store.ListCodesAsync(cancellationToken).ConfigureAwait(false)).Select(row => new EnrolmentCodeEntry(
            row.Id, row.NodeId, row.Comment, row.CreatedBy, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedMs), DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresMs),
            row.State(now), row.UsedMs is { } used ? DateTimeOffset.FromUnixTimeMilliseconds(used) : null, row.UsedBy)).ToList();
    }

    /// <summary>Issues a code (the API's, the fleet page's and <c>cctvedge-server enrolment-code</c>'s path); null with the errors when the request is not valid.</summary>
    public static async Task<(CreatedEnrolmentCode? Code, QueryErrors Errors)> IssueAsync(
        EnrolmentCodeRequest request, string createdBy, EnrolmentStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var nodeId = string.IsNullOrWhiteSpace(request.NodeId) ? null : request.NodeId.Trim();
        if (nodeId is not null && !Identifier.IsValid(nodeId))
        {
            errors.Add("nodeId", $"'{nodeId}' is not a node id: {Identifier.Rule}.");
        }

        var comment = request.Comment?.Trim() ?? "";
        if (comment.Length > 200)
        {
            errors.Add("comment", "must be at most 200 characters.");
        }

        var hours = errors.Int(request.ExpiresInHours, "expiresInHours", DefaultHours, 1, MaxHours);
        if (errors.Any)
        {
            return (null, errors);
        }

        var code = EnrolmentSecrets.NewCode();
        var expires = clock.GetUtcNow().AddHours(hours);
        var id = await store.CreateCodeAsync(EnrolmentSecrets.HashCode(code)!, nodeId, comment, createdBy, expires, cancellationToken).ConfigureAwait(false);
        return (new CreatedEnrolmentCode(id, code, nodeId, expires, comment), errors);
    }

    private static async Task<IResult> CreateAsync(EnrolmentCodeRequest? request, ClaimsPrincipal user, EnrolmentStore store, TimeProvider clock, CancellationToken ct)
    {
        var (code, errors) = await IssueAsync(request ?? new EnrolmentCodeRequest(null, null, null), user.Identity?.Name ?? "unknown", store, clock, ct);
        return code is null ? errors.Problem("The enrolment code request is not valid.") : TypedResults.Created($"/api/enrolment-codes/{code.Id}", code);
    }

    private static async Task<Results<NoContent, NotFound>> RevokeCredentialAsync(string nodeId, EnrolmentStore store, SessionRegistry sessions, CancellationToken ct) =>
        await RevokeNodeAsync(nodeId, store, sessions, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    /// <summary>Revokes a node's credential and ends its session; false when it holds none (the API's and the fleet page's path).</summary>
    public static async Task<bool> RevokeNodeAsync(string nodeId, EnrolmentStore store, SessionRegistry sessions, CancellationToken cancellationToken)
    {
        if (!Identifier.IsValid(nodeId) || !await store.RevokeCredentialAsync(nodeId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        sessions.Disconnect(nodeId, $"Node '{nodeId}' had its credential revoked.");
        return true;
    }
}
