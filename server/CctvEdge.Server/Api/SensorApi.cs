using System.Globalization;
using System.Text;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Api;

/// <summary>
/// Sensors for scripts and integrators: the list with latest values, a sensor's readings over a range (JSON or CSV,
/// downsampled as the page's charts are), and its thresholds (read by anyone, replaced by admins).
/// </summary>
internal static class SensorApi
{
    public const int MaxThresholds = 64;
    public const int MaxSustainSeconds = 7 * 86400;

    /// <summary>Longer ranges are refused rather than read: ten years of hours is the most a chart can mean.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(3660);

    public static IEndpointRouteBuilder MapSensorApi(this IEndpointRouteBuilder endpoints)
    {
        var sensors = endpoints.MapGroup("/api/sensors").WithTags("Sensors");
        sensors.MapGet("", (ISensorQuery query, CancellationToken ct) => query.ListAsync(ct))
            .WithSummary("Every sensor of every node, with its units, latest values, when it was last heard of and whether that is stale.");
        sensors.MapGet("/{node}/{sensor}/readings", ReadingsAsync)
            .WithSummary("A sensor's readings over [from, to) (ISO 8601), per measurement, downsampled to about 1000 min/avg/max points; resolution raw, minute or hour by range.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        sensors.MapGet("/{node}/{sensor}/readings.csv", ReadingsCsvAsync)
            .WithSummary("The same readings as CSV: at,name,unit,min,avg,max.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        sensors.MapGet("/{node}/{sensor}/thresholds", ThresholdsAsync)
            .WithSummary("A sensor's thresholds: per measurement name, min and/or max and sustainSeconds.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        sensors.MapPut("/{node}/{sensor}/thresholds", async (string node, string sensor, List<SensorThreshold>? thresholds, SensorThresholdStore store, CancellationToken ct) =>
            await SaveThresholdsAsync(node, sensor, thresholds, store, ct) is var (status, errors) && status == StatusCodes.Status200OK
                ? Results.Ok((await store.ListAsync(node, sensor, ct)).Select(View))
                : errors.Refusal(status, "The thresholds are not valid."))
            .RequireAuthorization(ApiScopes.AdminPolicy)
            .WithSummary("Replace a sensor's thresholds; a sensor event opens when a value stays out of range for sustainSeconds and closes when it is back.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    /// <summary>Validates and saves; 200, or the status that refuses it (400 by field, 404 for an unknown sensor). The API's and the page's path.</summary>
    public static async Task<(int Status, QueryErrors Errors)> SaveThresholdsAsync(string node, string sensor, IReadOnlyList<SensorThreshold>? thresholds, SensorThresholdStore store, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        if (thresholds is null)
        {
            errors.Add("body", "must be an array of { name, min, max, sustainSeconds }.");
            return (StatusCodes.Status400BadRequest, errors);
        }

        if (thresholds.Count > MaxThresholds)
        {
            errors.Add("body", $"may hold at most {MaxThresholds} thresholds.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < thresholds.Count; i++)
        {
            var t = thresholds[i];
            var key = $"[{i}]";
            if (string.IsNullOrWhiteSpace(t?.Name) || t.Name.Length > 64 || !names.Add(t.Name))
            {
                errors.Add($"{key}.name", "must be a measurement name of 1 to 64 characters, once per sensor.");
                continue;
            }

            if (t.Min is null && t.Max is null)
            {
                errors.Add($"{key}", "needs min, max or both.");
            }

            if (t.Min is { } min && !double.IsFinite(min) || t.Max is { } max && !double.IsFinite(max))
            {
                errors.Add($"{key}", "min and max must be finite numbers.");
            }
            else if (t.Min > t.Max)
            {
                errors.Add($"{key}.max", string.Create(CultureInfo.InvariantCulture, $"must not be below min ({t.Min})."));
            }

            if (t.SustainSeconds is < 0 or > MaxSustainSeconds)
            {
                errors.Add($"{key}.sustainSeconds", $"must be between 0 and {MaxSustainSeconds}.");
            }
        }

        if (errors.Any)
        {
            return (StatusCodes.Status400BadRequest, errors);
        }

        if (!Identifier.IsValid(node) || !Identifier.IsValid(sensor) || !await store.ReplaceAsync(node, sensor, thresholds.Select(t => new SensorLimit(t.Name.Trim(), t.Min, t.Max, t.SustainSeconds)).ToList(), cancellationToken).ConfigureAwait(false))
        {
            errors.Add("sensor", $"is unknown: node '{node}' has no sensor '{sensor}'.");
            return (StatusCodes.Status404NotFound, errors);
        }

        return (StatusCodes.Status200OK, errors);
    }

    private static async Task<IResult> ReadingsAsync(string node, string sensor, string? from, string? to, ISensorQuery query, CancellationToken ct) =>
        await ReadAsync(node, sensor, from, to, query, ct) is var (readings, problem) && readings is not null ? TypedResults.Ok(readings) : problem!;

    private static async Task ReadingsCsvAsync(HttpContext http, string node, string sensor, string? from, string? to, ISensorQuery query, CancellationToken ct)
    {
        var (readings, problem) = await ReadAsync(node, sensor, from, to, query, ct);
        if (readings is null)
        {
            await problem!.ExecuteAsync(http);
            return;
        }

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=cctvedge-{node}-{sensor}.csv";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false));
        await writer.WriteLineAsync("at,name,unit,min,avg,max");
        foreach (var series in readings.Series)
        {
            foreach (var p in series.Points)
            {
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{p.At:yyyy-MM-dd'T'HH:mm:ss.fff'Z'},{Csv(series.Name)},{Csv(series.Unit)},{p.Min:R},{p.Avg:R},{p.Max:R}"));
            }
        }
    }

    private static async Task<IResult> ThresholdsAsync(string node, string sensor, SensorQueries sensors, SensorThresholdStore store, CancellationToken ct) =>
        await sensors.FindSensorAsync(node, sensor, ct) is null ? UnknownSensor(node, sensor) : TypedResults.Ok((await store.ListAsync(node, sensor, ct)).Select(View));

    /// <summary>The readings, or the answer refusing the call: 400 naming from/to, 404 for an unknown sensor.</summary>
    private static async Task<(SensorReadings? Readings, IResult? Problem)> ReadAsync(string node, string sensor, string? from, string? to, ISensorQuery query, CancellationToken ct)
    {
        var errors = new QueryErrors();
        var fromAt = errors.Time(from, "from");
        var toAt = errors.Time(to, "to");
        if (string.IsNullOrEmpty(from))
        {
            errors.Add("from", "is required: an ISO 8601 time such as 2026-12-05T10:00:00Z.");
        }

        if (string.IsNullOrEmpty(to))
        {
            errors.Add("to", "is required: an ISO 8601 time such as 2026-12-05T11:00:00Z.");
        }

        if (fromAt is not null && toAt is not null && toAt <= fromAt)
        {
            errors.Add("to", "must be after from.");
        }
        else if (toAt - fromAt > MaxRange)
        {
            errors.Add("to", $"must be at most {MaxRange.TotalDays} days after from.");
        }

        if (errors.Any)
        {
            return (null, errors.Problem());
        }

        var readings = Identifier.IsValid(node) && Identifier.IsValid(sensor) ? await query.ReadingsAsync(node, sensor, fromAt!.Value, toAt!.Value, ct).ConfigureAwait(false) : null;
        return readings is null ? (null, UnknownSensor(node, sensor)) : (readings, null);
    }

    /// <summary>A stored threshold as the API and the page show it.</summary>
    public static SensorThreshold View(SensorLimit limit) => new(limit.Name, limit.Min, limit.Max, limit.SustainSeconds);

    private static IResult UnknownSensor(string node, string sensor) => Results.Problem($"Node '{node}' has no sensor '{sensor}'.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>A CSV field: quoted when it holds a comma, quote or line break (a microcontroller names its own values).</summary>
    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
