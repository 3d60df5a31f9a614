using System.Text.Json;
using CctvEdge.Node.Cameras;
using CctvEdge.Node.Metrics;
using CctvEdge.Node.Sensors;
using CctvEdge.Node.Sensors.Microcontrollers;
using CctvEdge.Node.Uplink;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Configuration;

/// <summary>
/// Everything wrong with the configuration, found before the agent starts, so an installer fixes it in one go: every
/// section is checked (the host's own start would stop at the first section that fails, after logging a stack trace),
/// and a config file that is not JSON is reported with its line and column.
/// </summary>
internal static class StartupProblems
{
    /// <summary>Every failure of every section, each naming its key; empty when the configuration is sound.</summary>
    public static IReadOnlyList<string> Collect(IServiceProvider services)
    {
        var failures = new List<string>();
        Check<NodeOptions>(services, failures);
        Check<ServerConnectionOptions>(services, failures);
        Check<FfmpegOptions>(services, failures);
        Check<NodeMetricsOptions>(services, failures);
        Check<HardwareOptions>(services, failures);
        Check<MicrocontrollerOptions>(services, failures);
        var before = failures.Count;
        Check<CamerasOptions>(services, failures);
        if (failures.Count > before && failures.Skip(before).All(f => failures.Take(before).Contains(f)))
        {
            // The cameras start from Node:DataDirectory, so a bad Node section fails them too; check the file's own.
            CheckFileCameras(services, failures);
        }

        Check<SensorsOptions>(services, failures);
        return failures.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>"node.json line 3 column 18: ..." for a config file that is not JSON; null for any other exception.</summary>
    public static string? DescribeFileError(Exception exception, string? configFile)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException { LineNumber: { } line, BytePositionInLine: { } column } json)
            {
                var name = configFile is null ? "the config file" : Path.GetFileName(configFile);
                var message = json.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].TrimEnd('.', ' ');
                return $"{name} line {line + 1} column {column + 1}: {message}.";
            }
        }

        return null;
    }

    private static void CheckFileCameras(IServiceProvider services, List<string> failures)
    {
        try
        {
            var cameras = NodeConfiguration.ReadCameras(services.GetRequiredService<IConfiguration>());
            var result = services.GetRequiredService<NodeConfigurationValidator>().Validate(null, cameras);
            failures.AddRange(result.Failures ?? []);
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ex.Failures);
        }
    }

    private static void Check<T>(IServiceProvider services, List<string> failures)
        where T : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ex.Failures);
        }
    }
}
