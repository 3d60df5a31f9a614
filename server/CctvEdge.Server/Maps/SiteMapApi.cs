using System.Security.Claims;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Api;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CctvEdge.Server.Maps;

/// <summary>What an admin puts to create or rename a map: the nodes' site it plans ('' for nodes without one) and its name.</summary>
internal sealed record SiteMapRequest(string? Site, string? Name);

/// <summary>One pin as put: <c>{"kind":"camera","node":"barn","camera":"yard","x":0.4,"y":0.7}</c> (<c>sensor</c> for a sensor).</summary>
internal sealed record MapPinRequest(string? Kind, string? Node, string? Camera, string? Sensor, double? X, double? Y);

/// <summary>
/// Site maps (<c>/api/maps</c>): anyone signed in reads them and their pins' status; admins create, rename and
/// delete maps, upload plans and place pins. The REST API and the map page share this validation.
/// </summary>
internal static class SiteMapApi
{
    public const int MaxNameLength = 60;
    public const int MaxSiteLength = 100;

    /// <summary>Far more pins than a plan has room for; a bound on what one request may write.</summary>
    public const int MaxPins = 500;

    /// <summary>How long after an event starts its pin shows it, unless <c>recentMinutes</c> says otherwise.</summary>
    public static readonly TimeSpan DefaultRecent = TimeSpan.FromMinutes(15);

    public static IEndpointRouteBuilder MapSiteMapApi(this IEndpointRouteBuilder endpoints)
    {
        var maps = endpoints.MapGroup("/api/maps").WithTags("Site maps");
        maps.MapGet("", (string? site, SiteMapReader reader, CancellationToken ct) => reader.ListAsync(site, ct))
            .WithSummary("The maps of a site (?site=; every site without it), by site and name.");
        maps.MapGet("/{id:long}", async (long id, int? recentMinutes, SiteMapReader reader, CancellationToken ct) =>
            {
                var errors = new QueryErrors();
                var minutes = errors.Int(recentMinutes, "recentMinutes", (int)DefaultRecent.TotalMinutes, 1, 1440);
                return errors.Any ? errors.Problem()
                    : await reader.GetAsync(id, TimeSpan.FromMinutes(minutes), ct) is { } map ? Results.Ok(map) : Results.NotFound();
            })
            .WithSummary("A map with its pins: each pin's name, status (online, offline, event: one started within recentMinutes, default 15), last event and where its live view is.")
            .ProducesValidationProblem();
        maps.MapPost("", async (SiteMapRequest request, ClaimsPrincipal user, SiteMapStore store, CancellationToken ct) =>
                await SaveAsync(null, request, Actor(user), store, ct) is var (id, status, errors) && id is not null
                    ? Results.Created($"/api/maps/{id}", new { id })
                    : errors.Refusal(status, "The map is not valid."))
            .RequireAuthorization(ApiScopes.AdminPolicy).WithSummary("Create a map (a blank canvas until a plan is uploaded).").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        maps.MapPut("/{id:long}", async (long id, SiteMapRequest request, ClaimsPrincipal user, SiteMapStore store, CancellationToken ct) =>
                await SaveAsync(id, request, Actor(user), store, ct) is var (saved, status, errors) && saved is not null
                    ? Results.NoContent()
                    : errors.Refusal(status, "The map is not valid."))
            .RequireAuthorization(ApiScopes.AdminPolicy).WithSummary("Rename a map or move it to another site.").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        maps.MapDelete("/{id:long}", async Task<Results<NoContent, NotFound>> (long id, SiteMapStore store, CancellationToken ct) =>
                await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .RequireAuthorization(ApiScopes.AdminPolicy).WithSummary("Delete a map with its plan and pins.");
        maps.MapGet("/{id:long}/image", async (long id, string? v, HttpResponse response, SiteMapStore store, CancellationToken ct) =>
            {
                if (await store.GetImageAsync(id, ct) is not { } image)
                {
                    return Results.NotFound();
                }

                // The page's address names the upload (?v=), and a new plan gets a new address: a phone on 4G then
                // downloads a plan of megabytes once, not on every visit. Private: it is behind a sign-in.
                if (v is not null)
                {
                    response.Headers.CacheControl = "private, max-age=31536000, immutable";
                }

                return Results.File(image.Bytes, image.ContentType);
            })
            .WithSummary("The map's plan image (404 for a blank canvas).");
        maps.MapPut("/{id:long}/image", async (long id, HttpRequest request, ClaimsPrincipal user, SiteMapStore store, CancellationToken ct) =>
                await SetImageAsync(id, request.Body, Actor(user), store, ct) is var (status, errors) && !errors.Any
                    ? Results.NoContent()
                    : status == StatusCodes.Status404NotFound ? Results.NotFound() : Results.ValidationProblem(errors.Errors, title: "The plan image is not accepted.", statusCode: status))
            .RequireAuthorization(ApiScopes.AdminPolicy)
            .WithSummary($"Upload the plan: the request body is a PNG or JPEG of at most {PlanImage.MaxBytes / 1024 / 1024} MiB (checked by its first bytes).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        maps.MapDelete("/{id:long}/image", async Task<Results<NoContent, NotFound>> (long id, ClaimsPrincipal user, SiteMapStore store, CancellationToken ct) =>
                await store.SetImageAsync(id, null, null, Actor(user), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .RequireAuthorization(ApiScopes.AdminPolicy).WithSummary("Remove the plan: the map becomes a blank canvas, its pins stay.");
        maps.MapPut("/{id:long}/pins", async (long id, List<MapPinRequest?>? pins, ClaimsPrincipal user, SiteMapStore store, SiteMapReader reader, CancellationToken ct) =>
                await SetPinsAsync(id, pins, Actor(user), store, reader, ct) is var (status, errors) && !errors.Any
                    ? Results.NoContent()
                    : errors.Refusal(status, "The pins are not valid."))
            .RequireAuthorization(ApiScopes.AdminPolicy).WithSummary("Replace the map's pins: x and y are fractions (0..1) of the plan's width and height.").ProducesValidationProblem();
        return endpoints;
    }

    /// <summary>Validates and saves a map; its id, or the status refusing it (400, 404, 409) and why.</summary>
    public static async Task<(long? Id, int Status, QueryErrors Errors)> SaveAsync(long? id, SiteMapRequest request, string by, SiteMapStore store, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var name = request.Name?.Trim() ?? "";
        var site = request.Site?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            errors.Add("name", $"must be 1 to {MaxNameLength} characters.");
        }

        if (site.Length > MaxSiteLength)
        {
            errors.Add("site", $"must be at most {MaxSiteLength} characters.");
        }

        if (errors.Any)
        {
            return (null, StatusCodes.Status400BadRequest, errors);
        }

        var (outcome, savedId) = await store.SaveAsync(id, site, name, by, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case SaveOutcome.Saved:
                return (savedId, StatusCodes.Status200OK, errors);
            case SaveOutcome.NameTaken:
                errors.Add("name", $"'{name}' is taken by map #{savedId} of the same site.");
                return (null, StatusCodes.Status409Conflict, errors);
            default:
                errors.Add("id", $"there is no map #{id}.");
                return (null, StatusCodes.Status404NotFound, errors);
        }
    }

    /// <summary>Checks and stores a plan: 413 over the size limit, 400 for anything but a PNG or JPEG, 404 for an unknown map.</summary>
    public static async Task<(int Status, QueryErrors Errors)> SetImageAsync(long id, Stream body, string by, SiteMapStore store, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var (bytes, tooLarge) = await PlanImage.ReadAsync(body, cancellationToken).ConfigureAwait(false);
        if (tooLarge)
        {
            errors.Add("image", $"must be at most {PlanImage.MaxBytes} bytes.");
            return (StatusCodes.Status413PayloadTooLarge, errors);
        }

        if (PlanImage.ContentType(bytes) is not { } contentType)
        {
            errors.Add("image", bytes.Length == 0 ? "is empty: send the PNG or JPEG file as the request body." : "must be a PNG or JPEG image (its first bytes are neither).");
            return (StatusCodes.Status400BadRequest, errors);
        }

        if (!await store.SetImageAsync(id, contentType, bytes, by, cancellationToken).ConfigureAwait(false))
        {
            errors.Add("id", $"there is no map #{id}.");
            return (StatusCodes.Status404NotFound, errors);
        }

        return (StatusCodes.Status200OK, errors);
    }

    /// <summary>Validates and stores a map's pins, each error named after its pin (<c>pins[2].x</c>).</summary>
    public static async Task<(int Status, QueryErrors Errors)> SetPinsAsync(
        long id, IReadOnlyList<MapPinRequest?>? pins, string by, SiteMapStore store, SiteMapReader reader, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        if (pins is null || pins.Count > MaxPins)
        {
            errors.Add("pins", $"must be an array of at most {MaxPins} pins.");
            return (StatusCodes.Status400BadRequest, errors);
        }

        // A device already on the map may stay when its node no longer reports it (shown offline): moving another
        // pin must not fail because of it.
        var known = (await reader.DevicesAsync(null, cancellationToken).ConfigureAwait(false)).Select(d => (d.Kind, d.Node, d.Device))
            .Concat((await store.PinsAsync(id, cancellationToken).ConfigureAwait(false)).Select(p => (p.Kind, p.NodeId, p.DeviceId)))
            .ToHashSet();
        var rows = new List<SiteMapPinRow>();
        var seen = new HashSet<(string, string, string)>();
        for (var i = 0; i < pins.Count; i++)
        {
            if (Pin(pins[i], $"pins[{i}]", known, errors) is { } row)
            {
                if (seen.Add((row.Kind, row.NodeId, row.DeviceId)))
                {
                    rows.Add(row);
                }
                else
                {
                    errors.Add($"pins[{i}]", $"pins {row.Kind} '{row.NodeId}.{row.DeviceId}' a second time; a device has one place on a map.");
                }
            }
        }

        if (errors.Any)
        {
            return (StatusCodes.Status400BadRequest, errors);
        }

        if (!await store.SetPinsAsync(id, rows, by, cancellationToken).ConfigureAwait(false))
        {
            errors.Add("id", $"there is no map #{id}.");
            return (StatusCodes.Status404NotFound, errors);
        }

        return (StatusCodes.Status200OK, errors);
    }

    private static SiteMapPinRow? Pin(MapPinRequest? pin, string field, HashSet<(string, string, string)> known, QueryErrors errors)
    {
        if (pin is null)
        {
            errors.Add(field, "must be a pin object.");
            return null;
        }

        var before = errors.Errors.Count;
        var device = pin.Kind switch
        {
            "camera" => pin.Camera,
            "sensor" => pin.Sensor,
            _ => null,
        };
        if (pin.Kind is not ("camera" or "sensor"))
        {
            errors.Add($"{field}.kind", $"must be camera or sensor (was '{pin.Kind}').");
        }
        else if (string.IsNullOrEmpty(pin.Node) || string.IsNullOrEmpty(device))
        {
            errors.Add(string.IsNullOrEmpty(pin.Node) ? $"{field}.node" : $"{field}.{pin.Kind}", "is required.");
        }
        else if (!known.Contains((pin.Kind, pin.Node, device)))
        {
            errors.Add($"{field}.{pin.Kind}", $"'{pin.Node}.{device}' is not a {pin.Kind} of any node.");
        }

        Coordinate(pin.X, $"{field}.x", errors);
        Coordinate(pin.Y, $"{field}.y", errors);
        return errors.Errors.Count == before ? new SiteMapPinRow(pin.Kind!, pin.Node!, device!, pin.X!.Value, pin.Y!.Value) : null;
    }

    private static void Coordinate(double? value, string field, QueryErrors errors)
    {
        if (value is not { } v || !double.IsFinite(v) || v < 0 || v > 1)
        {
            errors.Add(field, $"must be a fraction of the plan from 0 to 1 (was {value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}).");
        }
    }

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "";
}
