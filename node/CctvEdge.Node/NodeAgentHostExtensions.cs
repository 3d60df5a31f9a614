using CctvEdge.Node.Cameras;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Plugins;
using CctvEdge.Node.Uplink;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node;

/// <summary>Wires the node agent into a generic host.</summary>
internal static class NodeAgentHostExtensions
{
    /// <summary>
    /// Adds the config file named by <c>--config</c> (JSON), then environment variables and the command line, so
    /// any setting can be overridden as <c>Node__Id=barn</c> or <c>--Node:Id barn</c>.
    /// </summary>
    public static HostApplicationBuilder AddNodeConfigurationFile(this HostApplicationBuilder builder, string? configFile)
    {
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new OptionsValidationException("--config", typeof(NodeOptions), [$"--config: the file '{full}' does not exist."]);
            }

            // Later sources win, so the file goes just before the environment variables and the command line.
            var sources = builder.Configuration.Sources;
            var at = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
            var file = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = full, Optional = false, ReloadOnChange = false };
            file.ResolveFileProvider();
            sources.Insert(at < 0 ? sources.Count : at, file);
        }

        return builder;
    }

    public static HostApplicationBuilder AddNodeAgent(this HostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddNodeConfiguration(builder.Configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IProcessRunner, ProcessRunner>();
        services.AddSingleton<PluginCatalog>();
        services.AddSingleton(sp => new SequenceCounter(Path.Combine(sp.GetRequiredService<IOptions<NodeOptions>>().Value.ResolvedDataDirectory, "state")));
        services.AddSingleton<IResultOutbox>(sp => new MemoryResultOutbox(
            sp.GetRequiredService<SequenceCounter>(),
            sp.GetRequiredService<IOptions<ServerConnectionOptions>>().Value.MaxPendingResults,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<MemoryResultOutbox>>()));
        services.AddSingleton<NodeRuntime>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeRuntime>());
        services.AddSingleton<NodeStatusCollector>();
        services.AddSingleton<UplinkService>();
        services.AddHostedService(sp => sp.GetRequiredService<UplinkService>());
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        return builder;
    }
}
