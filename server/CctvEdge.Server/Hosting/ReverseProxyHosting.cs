using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Hosting;

/// <summary>
/// The real client address behind a reverse proxy (ASP.NET Core's forwarded-headers middleware), trusted only from the
/// proxies in <see cref="ReverseProxyOptions"/>. Everything after it (the audit log, the sign-in lock, the metrics
/// endpoint's network check) reads <c>Connection.RemoteIpAddress</c> and so sees the client, not the proxy.
/// </summary>
internal static partial class ReverseProxyHosting
{
    public static IServiceCollection AddReverseProxySupport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReverseProxyOptions>()
            .Configure(o => ServerHostExtensions.BindStrict(configuration.GetSection(ReverseProxyOptions.Section), o, ReverseProxyOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReverseProxyOptions>, ReverseProxyOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework's defaults trust loopback; only what the operator listed is trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in proxy.Value.ParsedProxies)
            {
                forwarded.KnownProxies.Add(address);
            }

            foreach (var network in proxy.Value.ParsedNetworks)
            {
                forwarded.KnownIPNetworks.Add(network);
            }

            // Walk back through X-Forwarded-For while the hop that sent it is a known proxy (a chain of them), and no
            // further: the first unknown hop is the client, whatever it claims came before it.
            forwarded.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>First in the pipeline, so every later middleware and endpoint sees the client's address.</summary>
    public static IApplicationBuilder UseReverseProxySupport(this WebApplication app)
    {
        var proxy = app.Services.GetRequiredService<IOptions<ReverseProxyOptions>>().Value;
        if (!proxy.Enabled)
        {
            return app;
        }

        LogTrusting(app.Logger, string.Join(", ", proxy.KnownProxies.Concat(proxy.KnownNetworks)));
        return app.UseForwardedHeaders();
    }

    [LoggerMessage(EventId = 167, Level = LogLevel.Information, Message = "Client addresses are taken from X-Forwarded-For sent by the known proxies {Proxies}.")]
    private static partial void LogTrusting(ILogger logger, string proxies);
}
