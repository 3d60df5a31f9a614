using CctvEdge.Node;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// cctvedge-node [--config FILE] [--Section:Key value ...]
// cctvedge-node enrol --server URL --code CODE [--config FILE]  |  cctvedge-node bench motion ...
if (args is ["bench", "motion", ..])
{
    return await CctvEdge.Node.Bench.MotionBenchCommand.RunAsync(args[2..], Console.Out, Console.Error);
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
    await host.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync("cctvedge-node: invalid configuration:");
    foreach (var failure in ex.Failures)
    {
        await Console.Error.WriteLineAsync("  - " + failure);
    }

    return 2;
}
