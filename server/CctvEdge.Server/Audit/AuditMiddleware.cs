using System.Security.Claims;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Audit;

/// <summary>
/// Writes every REST write (POST, PUT, PATCH, DELETE under <c>/api/</c> and <c>/auth/</c>) to the audit log once it is
/// answered: who (the user, and the token it came with), what (method and path, never the body: it may hold a
/// password), the status and the caller's address. Refused calls are logged too: a run of 401s is worth seeing.
/// </summary>
internal static partial class AuditMiddleware
{
    public static IApplicationBuilder UseAuditLog(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!IsWrite(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var failed = true;
        try
        {
            await next(context).ConfigureAwait(false);
            failed = false;
        }
        finally
        {
            await RecordAsync(context, failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode).ConfigureAwait(false);
        }
    });

    /// <summary>How a caller came: with a token (named), a signed-in cookie, or neither.</summary>
    private static string Via(ClaimsPrincipal user) =>
        user.FindFirst(ApiTokenAuthentication.TokenClaim)?.Value is { } token ? "token " + token : user.Identity?.IsAuthenticated == true ? "api" : "anonymous";

    private static bool IsWrite(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        && (request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || request.Path.StartsWithSegments("/auth", StringComparison.OrdinalIgnoreCase));

    private static async Task RecordAsync(HttpContext context, int status)
    {
        var services = context.RequestServices;
        try
        {
            await services.GetRequiredService<AuditStore>().AddAsync(
                context.User.Identity?.Name ?? "anonymous",
                Via(context.User),
                $"{context.Request.Method} {context.Request.Path}",
                "",
                status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                context.Connection.RemoteIpAddress?.ToString() ?? "",
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The change itself is done; a failed audit row must be loud in the log, not an error for the caller.
            LogNotRecorded(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditMiddleware).FullName!), context.Request.Method, context.Request.Path, ex);
        }
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Error, Message = "Could not write the audit log entry of {Method} {Path}")]
    private static partial void LogNotRecorded(ILogger logger, string method, string path, Exception exception);
}
