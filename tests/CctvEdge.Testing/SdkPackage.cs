using CctvEdge.Harness;

namespace CctvEdge.Testing;

/// <summary>
/// Packs the plugin SDK the way a release does (dotnet pack), into a folder that serves as a local NuGet feed, so
/// tests build plugins against the package rather than the project.
/// </summary>
public static class SdkPackage
{
    public const string Id = "CctvEdge.Plugins.Sdk";
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    public static string Project => Path.Combine(RepositoryPaths.Root, "plugins", Id, Id + ".csproj");

    /// <summary>Packs the SDK as the solution built it; returns the .nupkg.</summary>
    public static async Task<string> PackAsync(string feed)
    {
        await DotnetAsync(RepositoryPaths.Root, "pack", Project, "-c", RepositoryPaths.Configuration, "--no-build", "-o", feed).ConfigureAwait(false);
        return Directory.GetFiles(feed, Id + ".*.nupkg").Single();
    }

    /// <summary>
    /// Packs a copy of the SDK's sources as <paramref name="version"/> (another ABI, say), built in a folder of its own
    /// under <paramref name="work"/> so the repository's build output stays as it is.
    /// </summary>
    public static async Task PackCopyAsync(string feed, string version, string work)
    {
        work = Path.Combine(work, "sdk-" + version);
        Directory.CreateDirectory(work);
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            File.Copy(Path.Combine(RepositoryPaths.Root, file), Path.Combine(work, file), overwrite: true);
        }

        var source = Path.GetDirectoryName(Project)!;
        var copy = Path.Combine(work, Id);
        Directory.CreateDirectory(copy);
        // Sources, project, readme and the PublicAPI files the analyzer checks the copy against.
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)), overwrite: true);
        }

        await DotnetAsync(work, "pack", Path.Combine(copy, Id + ".csproj"), "-c", "Release", "-p:Version=" + version, "-o", feed).ConfigureAwait(false);
    }

    /// <summary>Runs dotnet; throws with its output when it fails.</summary>
    public static async Task DotnetAsync(string workingDirectory, params string[] arguments)
    {
        await using var process = ChildProcess.Start("dotnet", "dotnet", [.. arguments, "-nologo"], workingDirectory, new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
        var exitCode = await process.WaitForExitAsync(BuildTimeout).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} exited with {exitCode}:{Environment.NewLine}{process.Output}");
        }
    }
}
