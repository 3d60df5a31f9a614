using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Maintenance;

/// <summary><c>cctvedge-server check [--hash] [--repair] [--data DIR]</c>: verifies the clip store; exit 0 when clean.</summary>
internal static class CheckCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var hash = args.Contains("--hash");
        var repair = args.Contains("--repair");
        using var host = await MaintenanceHost.StartAsync(args.Where(a => a is not ("--hash" or "--repair")).ToArray());
        var store = host.Services.GetRequiredService<ClipStore>();
        Console.WriteLine($"Checking clips in {store.Objects.Location}{(hash ? " with sha256" : "")}{(repair ? ", repairing" : "")} ...");

        var problems = await new ClipCheck(store, Console.Error).RunAsync(hash, repair, CancellationToken.None);
        foreach (var problem in problems)
        {
            Console.WriteLine($"  {problem.What,-8} {problem.Clip?.Id ?? ""} {problem.Detail}{(repair ? " (repaired)" : "")}");
        }

        Console.WriteLine(problems.Count == 0 ? "All clips are present and intact." : $"{problems.Count} problem(s){(repair ? " repaired" : "; run with --repair to fix the store")}.");
        return problems.Count == 0 || repair ? 0 : 1;
    }
}
