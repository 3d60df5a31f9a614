using System.Text.Json.Nodes;
using CctvEdge.Harness;
using CctvEdge.Testing;

namespace CctvEdge.EndToEnd.Tests;

/// <summary>
/// Builds the sample plugin (plugins/samples/TamperAlarm) as its author would: a copy of its folder outside the
/// repository, a NuGet.config naming a local feed with the packed SDK, dotnet build. Packages are restored into a
/// folder of the test's own, so a package cached by an earlier run can never stand in for the one just packed.
/// </summary>
internal sealed class SamplePlugin(string work)
{
    public const string Id = "tamper-alarm";
    private static readonly string Source = Path.Combine(RepositoryPaths.Root, "plugins", "samples", "TamperAlarm");

    /// <summary>Builds the sample against SDK <paramref name="sdkVersion"/> from <paramref name="feed"/> as plugin version <paramref name="version"/>; returns the output folder.</summary>
    public async Task<string> BuildAsync(string feed, string version, string sdkVersion = "1.0.0")
    {
        var name = $"{version}-sdk{sdkVersion}";
        var source = Path.Combine(work, "src-" + name);
        DemoNetwork.CopyDirectory(Source, source);
        var project = Path.Combine(source, "TamperAlarm.csproj");
        await File.WriteAllTextAsync(project, (await File.ReadAllTextAsync(project)).Replace("Include=\"CctvEdge.Plugins.Sdk\" Version=\"1.0.0\"", $"Include=\"CctvEdge.Plugins.Sdk\" Version=\"{sdkVersion}\"", StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(source, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(work, "packages")}" /></config>
              <packageSources><add key="cctvedge-test" value="{feed}" /></packageSources>
            </configuration>
            """);

        var output = Path.Combine(work, "out-" + name);
        await SdkPackage.DotnetAsync(source, "build", project, "-c", "Release", "-o", output, "-p:Version=" + version);
        // The author raises the manifest's version with the assembly's.
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "plugin.json")))!;
        manifest["version"] = version;
        await File.WriteAllTextAsync(Path.Combine(output, "plugin.json"), manifest.ToJsonString());
        return output;
    }
}
