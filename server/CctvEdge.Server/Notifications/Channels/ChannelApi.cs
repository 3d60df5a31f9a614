using System.Text.Json;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Api;
using CctvEdge.Server.Notifications.Reports;
using CctvEdge.Server.Notifications.Sending;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CctvEdge.Server.Notifications.Channels;

/// <summary>
/// <c>/api/notification-channels</c> (admins): Telegram, webhook and e-mail channels with write-only secrets, a test send,
/// and each channel's last success, last error and delivery counts. The settings page goes through the same code.
/// </summary>
internal static class ChannelApi
{
    public static IEndpointRouteBuilder MapNotificationChannelApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/notification-channels").WithTags("Notifications").RequireAuthorization(ApiScopes.AdminPolicy);
        api.MapGet("", ListAsync).WithSummary("Every channel: its settings without secrets (secretsSet names those stored), last success, last error, pending, sent and dead deliveries.");
        api.MapPost("", async (JsonElement body, ChannelStore store, ChannelSecrets secrets, CancellationToken ct) =>
            await SaveAsync(null, body, store, secrets, ct) is var (saved, status, errors) && saved is not null
                ? Results.Created($"/api/notification-channels/{saved.Id}", saved)
                : errors.Refusal(status))
            .WithSummary("Add a channel: {\"name\", \"kind\": \"telegram\"|\"webhook\"|\"email\", \"settings\": {...}}.").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/{id:long}", async (long id, JsonElement body, ChannelStore store, ChannelSecrets secrets, CancellationToken ct) =>
            await SaveAsync(id, body, store, secrets, ct) is var (saved, status, errors) && saved is not null ? Results.Ok(saved) : errors.Refusal(status))
            .WithSummary("Change a channel; a secret left out keeps its stored value.").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/{id:long}", async Task<Results<NoContent, NotFound>> (long id, ChannelStore store, CancellationToken ct) =>
            await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound()).WithSummary("Delete a channel and its deliveries.");
        api.MapPost("/{id:long}/test", async Task<Results<Ok<TestResult>, NotFound>> (long id, ChannelStore store, DeliveryDispatcher dispatcher, CancellationToken ct) =>
            await store.FindAsync(id, ct) is null ? TypedResults.NotFound() : TypedResults.Ok(new TestResult(await dispatcher.SendTestAsync(id, ct) is { } error ? error : null)))
            .WithSummary("Send a test message now; error is null when it went.");
        api.MapPost("/{id:long}/report", async Task<Results<Ok<TestResult>, NotFound>> (long id, ChannelStore store, ChannelSecrets secrets, DailyReportService reports, CancellationToken ct) =>
            await store.FindAsync(id, ct) is not { } row
                ? TypedResults.NotFound()
                : TypedResults.Ok(new TestResult(await reports.SendAsync(secrets.Config(row), reports.Yesterday, ct))))
            .WithSummary("E-mail channels: send yesterday's daily report now (events per camera, clips stored, disks, offline nodes, readings); error is null when it went.");
        return endpoints;
    }

    /// <summary>The answer of a test send.</summary>
    internal sealed record TestResult(string? Error)
    {
        public bool Sent => Error is null;
    }

    public static async Task<IReadOnlyList<NotificationChannel>> ListAsync(ChannelStore store, CancellationToken ct) =>
        (await store.ListWithCountsAsync(ct).ConfigureAwait(false)).Select(View).ToList();

    /// <summary>Validates and saves a channel: the saved channel, or the status refusing it (400, 404, 409) and why.</summary>
    public static async Task<(NotificationChannel? Saved, int Status, QueryErrors Errors)> SaveAsync(long? id, JsonElement body, ChannelStore store, ChannelSecrets secrets, CancellationToken ct)
    {
        var errors = new QueryErrors();
        ChannelDraft? existing = null;
        if (id is { } known)
        {
            if (await store.FindAsync(known, ct).ConfigureAwait(false) is not { } row)
            {
                errors.Add("id", $"there is no channel #{known}.");
                return (null, StatusCodes.Status404NotFound, errors);
            }

            var config = secrets.Config(row);
            existing = new ChannelDraft(row.Name, row.Kind, new(config.Settings), new(config.Secrets));
        }

        if (ChannelJson.Parse(body, existing, errors) is not { } draft)
        {
            return (null, StatusCodes.Status400BadRequest, errors);
        }

        var (outcome, savedId) = await store.SaveAsync(id, draft.Name, draft.Kind, JsonSerializer.Serialize(draft.Settings), secrets.Protect(draft.Secrets), ct).ConfigureAwait(false);
        if (outcome == SaveOutcome.NameTaken)
        {
            errors.Add("name", $"'{draft.Name}' is taken by channel #{savedId}.");
            return (null, StatusCodes.Status409Conflict, errors);
        }

        return (View((await store.FindWithCountsAsync(savedId, ct).ConfigureAwait(false))!), StatusCodes.Status200OK, errors);
    }

    private static NotificationChannel View(ChannelRow row) => new(
        row.Id,
        row.Name,
        row.Kind,
        JsonSerializer.Deserialize<Dictionary<string, string>>(row.Settings) ?? [],
        ChannelKinds.All.TryGetValue(row.Kind, out var kind) && row.Secrets.Length > 0 ? kind.Settings.Where(s => s.Secret).Select(s => s.Name).ToList() : [],
        row.LastSentMs is { } sent ? DateTimeOffset.FromUnixTimeMilliseconds(sent) : null,
        row.LastError,
        row.LastErrorMs is { } failed ? DateTimeOffset.FromUnixTimeMilliseconds(failed) : null,
        row.Pending,
        row.Sent,
        row.Dead);
}
