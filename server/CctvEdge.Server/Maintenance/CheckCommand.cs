using CctvEdge.Server.Hosting;
using CctvEdge.Server.Storage;
using CctvEdge.Storage;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Maintenance;

/// <summary><c>cctvedge-server check [--hash] [--repair] [--data DIR]</c>: verifies the clip store; exit 0 when clean.</summary>
internal static class CheckCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var hash = args.Contains("--hash");
        var repair = args.Contains("--repair");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddServerCommandLine(args.Where(a => a is not ("--hash" or "--repair")).ToArray());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddServerStorage(builder.Configuration);
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        await host.Services.GetRequiredService<SqliteDatabase>().MigrateAsync(typeof(CheckCommand).Assembly, "CctvEdge.Server.Storage.Schema.", CancellationToken.None);
        Console.WriteLine($"Checking clips in {options.ResolvedClipsDirectory}{(hash ? " with sha256" : "")}{(repair ? ", repairing" : "")} ...");

        var problems = await new ClipCheck(host.Services.GetRequiredService<ClipStore>(), Console.Error).RunAsync(hash, repair, CancellationToken.None);
        foreach (var problem in problems)
        {
            Console.WriteLine($"  {problem.What,-8} {problem.Clip?.Id ?? ""} {problem.Detail}{(repair ? " (repaired)" : "")}");
        }

        Console.WriteLine(problems.Count == 0 ? "All clips are present and intact." : $"{problems.Count} problem(s){(repair ? " repaired" : "; run with --repair to fix the store")}.");
        return problems.Count == 0 || repair ? 0 : 1;
    }
}
