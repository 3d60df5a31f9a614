using Scalar.AspNetCore;

namespace CctvEdge.Server.Api;

/// <summary>
/// The REST API described: an OpenAPI document built from the endpoints themselves (Microsoft.AspNetCore.OpenApi) at
/// <c>/api/openapi/v1.json</c>, and Scalar's reference page over it at <c>/api/docs</c>. Both need a signed-in user, like
/// the API they describe.
/// </summary>
internal static class ApiDocs
{
    public const string DocumentPattern = "/api/openapi/{documentName}.json";

    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(options => options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true);

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPattern);
        endpoints.MapScalarApiReference("/api/docs", options => options.WithOpenApiRoutePattern(DocumentPattern).WithTitle("CctvEdge API"));
        return endpoints;
    }
}
