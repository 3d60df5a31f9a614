using CctvEdge.Server.Hosting;
using CctvEdge.Server.Maintenance;
using CctvEdge.Server.Sessions;
using Microsoft.Extensions.Options;

// cctvedge-server [--grpc-port N] [--web-port N] [--data DIR] [--bind ADDRESS] [--Section:Key value ...]
// cctvedge-server check ...  |  enrolment-code ...  |  migrate ...  |  --help  |  --version   (ServerUsage has them all)
if (args is ["--help" or "-h" or "help", ..])
{
    await Console.Out.WriteAsync(ServerUsage.Text);
    return 0;
}

if (args is ["--version" or "version"])
{
    await Console.Out.WriteLineAsync($"cctvedge-server {NodeSessionService.ServerVersion}");
    return 0;
}

try
{
    if (args is ["check", .. var checkArgs])
    {
        return await CheckCommand.RunAsync(checkArgs);
    }

    if (args is ["migrate", .. var migrateArgs])
    {
        // Ctrl+C mid-copy ends the process; the copy's one transaction then leaves the target empty.
        return await MigrateCommand.RunAsync(migrateArgs, Console.Out, Console.Error, !Console.IsErrorRedirected, CancellationToken.None);
    }

    if (args is ["enrolment-code", .. var codeArgs])
    {
        return await EnrolmentCodeCommand.RunAsync(codeArgs, Console.Out, Console.Error);
    }

    // Content root next to the binaries, so appsettings.json is found wherever the server is started from.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddCctvEdgeServer(args);
    var app = builder.Build();
    if (StartupCheck.Problems(app.Services) is { Count: > 0 } problems)
    {
        return await InvalidAsync(problems);
    }

    app.MapCctvEdgeServer();
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    return await InvalidAsync(ex.Failures);
}

static async Task<int> InvalidAsync(IEnumerable<string> problems)
{
    await Console.Error.WriteLineAsync("cctvedge-server: invalid configuration:");
    foreach (var problem in problems)
    {
        await Console.Error.WriteLineAsync("  - " + problem);
    }

    return 2;
}
