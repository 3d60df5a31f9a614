using CctvEdge.Server.Hosting;
using CctvEdge.Server.Maintenance;
using Microsoft.Extensions.Options;

// cctvedge-server [--grpc-port N] [--web-port N] [--data DIR] [--bind ADDRESS] [--Section:Key value ...]
// cctvedge-server check [--hash] [--repair] [--data DIR]
// cctvedge-server enrolment-code [--node ID] [--hours N] [--comment TEXT] [--data DIR]
try
{
    if (args is ["check", .. var checkArgs])
    {
        return await CheckCommand.RunAsync(checkArgs);
    }

    if (args is ["enrolment-code", .. var codeArgs])
    {
        return await EnrolmentCodeCommand.RunAsync(codeArgs, Console.Out, Console.Error);
    }

    // Content root next to the binaries, so appsettings.json is found wherever the server is started from.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddCctvEdgeServer(args);
    var app = builder.Build();
    app.MapCctvEdgeServer();
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync("cctvedge-server: invalid configuration:");
    foreach (var failure in ex.Failures)
    {
        await Console.Error.WriteLineAsync("  - " + failure);
    }

    return 2;
}
