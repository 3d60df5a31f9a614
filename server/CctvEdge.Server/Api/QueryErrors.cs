using System.Globalization;

namespace CctvEdge.Server.Api;

/// <summary>
/// Reads query-string values for the REST API and collects what is wrong with them by parameter name, so a bad call
/// gets one problem+json answer naming every field instead of a silently ignored value or a clamped page.
/// </summary>
internal sealed class QueryErrors
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public IReadOnlyDictionary<string, string[]> Errors => _errors;

    /// <summary>The errors in one line, for a page: "name must be ... expiresInDays must be ...".</summary>
    public string Summary => string.Join(" ", _errors.Select(e => $"{e.Key} {string.Join(" ", e.Value)}"));

    /// <summary>The problem+json answer: 400 with an <c>errors</c> map of parameter name to messages.</summary>
    public IResult Problem(string title = "Some query parameters are not valid.") => TypedResults.ValidationProblem(_errors, title: title);

    /// <summary>The answer refusing a save: 400 with each field's error, or a problem (404, 409) saying why.</summary>
    public IResult Refusal(int status, string title = "The request is not valid.") =>
        status == StatusCodes.Status400BadRequest ? Problem(title) : Results.Problem(Summary, statusCode: status);

    public int Int(int? value, string name, int fallback, int min, int max)
    {
        if (value is null)
        {
            return fallback;
        }

        if (value < min || value > max)
        {
            Add(name, $"must be between {min} and {max} (was {value}).");
        }

        return Math.Clamp(value.Value, min, max);
    }

    /// <summary>An ISO 8601 time with an offset (2026-12-05T10:00:00Z) or a date (2026-12-05, UTC midnight); null when absent.</summary>
    public DateTimeOffset? Time(string? text, string name)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }

        Add(name, $"must be an ISO 8601 time such as 2026-12-05T10:00:00Z or a date such as 2026-12-05 (was '{text}').");
        return null;
    }

    public void Add(string name, string message) =>
        _errors[name] = _errors.TryGetValue(name, out var existing) ? [.. existing, message] : [message];
}
