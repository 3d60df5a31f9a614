using CctvEdge.Server.Hosting;
using CctvEdge.Server.Processors.Media;
using CctvEdge.Server.Storage;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Processors;

internal static class ProcessorServiceExtensions
{
    /// <summary>The <c>Processors</c> section, validated at start, and the host that runs them after each commit.</summary>
    public static IServiceCollection AddServerProcessors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProcessorOptions>()
            .Configure(o => ServerHostExtensions.BindStrict(configuration.GetSection(ProcessorOptions.Section), o, ProcessorOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProcessorOptions>, ProcessorOptionsValidator>();
        services.AddSingleton<ProcessorHost>();
        services.AddHostedService(sp => sp.GetRequiredService<ProcessorHost>());
        services.AddSingleton<IIngestListener>(sp => sp.GetRequiredService<ProcessorHost>());
        services.AddSingleton<IClipListener>(sp => sp.GetRequiredService<ProcessorHost>());
        services.AddSingleton<ProcessorMedia>();
        return services;
    }
}
