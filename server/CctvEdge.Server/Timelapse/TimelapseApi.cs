using System.Globalization;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Timelapse;

/// <summary><c>POST /api/cameras/{node}/{camera}/timelapse?day=yyyy-MM-dd</c>: makes a day's timelapse now (admins).</summary>
internal static class TimelapseApi
{
    public static IEndpointRouteBuilder MapTimelapseApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/cameras/{nodeId}/{cameraId}/timelapse", BuildAsync)
            .RequireAuthorization(ApiScopes.AdminPolicy)
            .WithSummary("Makes the camera's timelapse of a local day (default yesterday; today ends today's at the stills kept so far) from its stills.");
        return endpoints;
    }

    private static async Task<IResult> BuildAsync(string nodeId, string cameraId, string? day, TimelapseBuilder builder, TimeProvider clock, CancellationToken ct)
    {
        if (!Identifier.IsValid(nodeId) || !Identifier.IsValid(cameraId))
        {
            return Results.Problem($"Node and camera ids must be {Identifier.Rule}.", statusCode: StatusCodes.Status400BadRequest);
        }

        var today = LocalDay.Today(clock);
        DateOnly date;
        if (day is null)
        {
            date = today.AddDays(-1);
        }
        else if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) || date > today)
        {
            return Results.Problem($"day must be a date up to today, as yyyy-MM-dd (was '{day}').", statusCode: StatusCodes.Status400BadRequest);
        }

        var outcome = await builder.BuildAsync(new CameraRef(nodeId, cameraId), date, ct);
        return outcome.Status switch
        {
            TimelapseStatus.Built => Results.Ok(new
            {
                clipId = outcome.ClipId,
                url = $"/media/clips/{outcome.ClipId}.mp4",
                player = $"/player/clip/{outcome.ClipId}",
                frames = outcome.Frames,
                skipped = outcome.Skipped,
            }),
            TimelapseStatus.NoStills => Results.Problem(outcome.Message, statusCode: StatusCodes.Status404NotFound),
            _ => Results.Problem(outcome.Message, statusCode: StatusCodes.Status500InternalServerError),
        };
    }
}
