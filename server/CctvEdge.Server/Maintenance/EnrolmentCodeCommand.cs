using CctvEdge.Server.Api;
using CctvEdge.Server.Storage;

namespace CctvEdge.Server.Maintenance;

/// <summary>
/// <c>cctvedge-server enrolment-code [--node ID] [--hours N] [--comment TEXT] [--data DIR]</c>: issues a one-time
/// enrolment code from the server's console, for an installer with a shell on the server and no browser (and for
/// the demo script). Prints the code alone on stdout; exit 2 with the reasons when the options are not valid.
/// </summary>
internal static class EnrolmentCodeCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var (nodeId, rest) = Take(args, "--node");
        (var hoursText, rest) = Take(rest, "--hours");
        (var comment, rest) = Take(rest, "--comment");
        int? hours = null;
        if (hoursText is not null)
        {
            if (!int.TryParse(hoursText, out var parsed))
            {
                await error.WriteLineAsync($"cctvedge-server enrolment-code: --hours must be a whole number of hours (was '{hoursText}').");
                return 2;
            }

            hours = parsed;
        }

        using var host = await MaintenanceHost.StartAsync(rest);
        var (code, errors) = await EnrolmentApi.IssueAsync(
            new EnrolmentCodeRequest(nodeId, hours, comment ?? "issued on the server's console"),
            "console",
            host.Services.GetRequiredService<EnrolmentStore>(),
            host.Services.GetRequiredService<TimeProvider>(),
            CancellationToken.None);
        if (code is null)
        {
            foreach (var (key, messages) in errors.Errors)
            {
                await error.WriteLineAsync($"cctvedge-server enrolment-code: {key}: {string.Join(" ", messages)}");
            }

            return 2;
        }

        await output.WriteLineAsync(code.Code);
        await error.WriteLineAsync($"Valid until {code.Expires:u}{(code.NodeId is null ? "" : $" for node '{code.NodeId}'")}; on the node run: cctvedge-node enrol --server URL --code {code.Code}");
        return 0;
    }

    private static (string? Value, string[] Remaining) Take(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at < 0 || at + 1 >= args.Length ? (null, args) : (args[at + 1], [.. args[..at], .. args[(at + 2)..]]);
    }
}
