using Microsoft.OpenApi;
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

    /// <summary>The name of the API token scheme in the document.</summary>
    public const string BearerScheme = "bearer";

    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                DeclareBearerTokens(document);
                return Task.CompletedTask;
            });
        });

    /// <summary>
    /// Says in the document that every call takes <c>Authorization: Bearer</c> with an API token, so generated clients
    /// and the reference page send it. (The sign-in cookie works too; it is the browser's, not a script's.)
    /// </summary>
    private static void DeclareBearerTokens(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "cev_{id}_{secret}",
            Description = "An API token from POST /api/tokens, with the scopes read, review or admin.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
    }

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPattern);
        endpoints.MapScalarApiReference("/api/docs", options => options.WithOpenApiRoutePattern(DocumentPattern).WithTitle("CctvEdge API"));
        return endpoints;
    }
}
