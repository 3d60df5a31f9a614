namespace CctvEdge.Harness;

/// <summary>Finds the repository and the build output of the real programs the tests start.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built with (Debug or Release), read from our own output path.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string NodeDll => Output("node", "CctvEdge.Node", "cctvedge-node.dll");

    public static string ServerDll => Output("server", "CctvEdge.Server", "cctvedge-server.dll");

    public static string NodePluginsDirectory => Path.Combine(Path.GetDirectoryName(NodeDll)!, "plugins");

    /// <summary>The processors the server ships switched off (central detection), one folder each.</summary>
    public static string ServerProcessorsAvailableDirectory => Path.Combine(Path.GetDirectoryName(ServerDll)!, "processors-available");

    private static string Output(string area, string project, string file)
    {
        var path = Path.Combine(Root, area, project, "bin", Configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the solution before running the tests.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CctvEdge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CctvEdge.sln not found above " + AppContext.BaseDirectory);
    }
}
