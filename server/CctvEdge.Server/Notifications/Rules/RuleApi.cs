using System.Text.Json;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Api;
using CctvEdge.Server.Notifications.Channels;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CctvEdge.Server.Notifications.Rules;

/// <summary><c>/api/notification-rules</c> (admins): which events go to which channels. The settings page goes through the same code.</summary>
internal static class RuleApi
{
    public static IEndpointRouteBuilder MapNotificationRuleApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/notification-rules").WithTags("Notifications").RequireAuthorization(ApiScopes.AdminPolicy);
        api.MapGet("", (RuleStore store, CancellationToken ct) => store.ListAsync(ct)).WithSummary("Every rule, by name.");
        api.MapPost("", async (JsonElement body, RuleStore store, CancellationToken ct) =>
            await SaveAsync(null, body, store, ct) is var (saved, status, errors) && saved is not null
                ? Results.Created($"/api/notification-rules/{saved.Id}", saved)
                : errors.Refusal(status))
            .WithSummary("Add a rule: {\"name\", \"kinds\", \"cameras\", \"zones\", \"channels\", \"cooldownSeconds\", \"minPeak\", \"minDurationSeconds\", \"schedule\", \"enabled\"}.").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/{id:long}", async (long id, JsonElement body, RuleStore store, CancellationToken ct) =>
            await SaveAsync(id, body, store, ct) is var (saved, status, errors) && saved is not null ? Results.Ok(saved) : errors.Refusal(status))
            .WithSummary("Replace a rule.").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/{id:long}", async Task<Results<NoContent, NotFound>> (long id, RuleStore store, CancellationToken ct) =>
            await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound()).WithSummary("Delete a rule (what it queued is still sent).");
        return endpoints;
    }

    /// <summary>Validates and saves a rule: the saved rule, or the status refusing it (400, 404, 409) and why.</summary>
    public static async Task<(NotificationRule? Saved, int Status, QueryErrors Errors)> SaveAsync(long? id, JsonElement body, RuleStore store, CancellationToken ct)
    {
        var errors = new QueryErrors();
        if (RuleJson.Parse(body, errors) is not { } rule)
        {
            return (null, StatusCodes.Status400BadRequest, errors);
        }

        var (outcome, savedId, unknown) = await store.SaveAsync(id, rule, ct).ConfigureAwait(false);
        switch (outcome)
        {
            case SaveOutcome.Saved:
                return (rule with { Id = savedId }, StatusCodes.Status200OK, errors);
            case SaveOutcome.NameTaken:
                errors.Add("name", $"'{rule.Name}' is taken by rule #{savedId}.");
                return (null, StatusCodes.Status409Conflict, errors);
            case SaveOutcome.NotFound when unknown.Count > 0:
                errors.Add("channels", $"there is no channel {string.Join(", ", unknown.Select(c => $"#{c}"))}.");
                return (null, StatusCodes.Status400BadRequest, errors);
            default:
                errors.Add("id", $"there is no rule #{id}.");
                return (null, StatusCodes.Status404NotFound, errors);
        }
    }
}
