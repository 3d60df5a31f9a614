using CctvEdge.Server.Hosting;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Timelapse;

internal static class TimelapseHosting
{
    /// <summary>The <c>Timelapse</c> options (validated at start like every section), the stills, the builder and the daily pass.</summary>
    public static IServiceCollection AddTimelapse(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TimelapseOptions>()
            .Configure(o => ServerHostExtensions.BindStrict(configuration.GetSection(TimelapseOptions.Section), o, TimelapseOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TimelapseOptions>, TimelapseOptionsValidator>();
        services.AddSingleton<TimelapseStills>();
        services.AddSingleton<TimelapseEncoder>();
        services.AddSingleton<TimelapseBuilder>();
        services.AddHostedService<TimelapseService>();
        return services;
    }
}
