using CctvEdge.Node;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Uplink;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// cctvedge-node [--config FILE] [--Section:Key value ...]  |  enrol ...  |  discover ...  |  bench motion ...  |  --help  |  --version
if (args is ["--help" or "-h" or "help", ..])
{
    await Console.Out.WriteAsync(Usage.Text);
    return 0;
}

if (args is ["--version" or "version"])
{
    await Console.Out.WriteLineAsync($"cctvedge-node {NodeStatusCollector.AgentVersion}");
    return 0;
}

if (args is ["bench", "motion", ..])
{
    return await CctvEdge.Node.Bench.MotionBenchCommand.RunAsync(args[2..], Console.Out, Console.Error);
}

if (args is ["discover", .. var discoverArgs])
{
    return await CctvEdge.Node.Discovery.DiscoverCommand.RunAsync(discoverArgs, Console.Out, Console.Error);
}

if (args is ["enrol", .. var enrolArgs])
{
    return await CctvEdge.Node.Enrolment.EnrolCommand.RunAsync(enrolArgs, Console.Out, Console.Error);
}

var (configFile, hostArgs) = CommandLine.TakeOption(args, "--config");
try
{
    // Content root next to the binaries, so appsettings.json is found wherever the agent is started from.
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = hostArgs, ContentRootPath = AppContext.BaseDirectory });
    builder.AddNodeConfigurationFile(configFile).AddNodeAgent();
    using var host = builder.Build();
    if (StartupProblems.Collect(host.Services) is { Count: > 0 } problems)
    {
        return await InvalidAsync(problems);
    }

    await host.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    return await InvalidAsync(ex.Failures);
}
catch (InvalidDataException ex) when (StartupProblems.DescribeFileError(ex, configFile) is { } problem)
{
    return await InvalidAsync([problem]);
}

static async Task<int> InvalidAsync(IEnumerable<string> problems)
{
    await Console.Error.WriteLineAsync("cctvedge-node: invalid configuration:");
    foreach (var problem in problems)
    {
        await Console.Error.WriteLineAsync("  - " + problem);
    }

    return 2;
}
