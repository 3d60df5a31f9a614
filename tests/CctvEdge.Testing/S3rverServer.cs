using System.Globalization;
using CctvEdge.Harness;

namespace CctvEdge.Testing;

/// <summary>
/// s3rver (npm) on 127.0.0.1: a real S3 API over files in a scratch folder, with one bucket made at start, for the S3
/// clip store's tests. Installed into tools/s3rver (git-ignored node_modules, versions from its lock file) when
/// missing; when it cannot be installed the test fails, it does not skip.
/// </summary>
public sealed class S3rverServer : LoopbackDaemon
{
    public const string Bucket = "cctvedge-clips";

    /// <summary>s3rver's fixed credentials: it checks signatures made with these.</summary>
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private S3rverServer()
        : base("s3rver")
    {
    }

    public string ServiceUrl => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

    /// <summary>The server's command-line arguments that put its clips in this bucket under <paramref name="prefix"/>.</summary>
    public string[] ServerArguments(string prefix) =>
    [
        "--ClipStorage:Provider=s3",
        $"--ClipStorage:S3:ServiceUrl={ServiceUrl}",
        $"--ClipStorage:S3:Bucket={Bucket}",
        $"--ClipStorage:S3:AccessKey={AccessKey}",
        $"--ClipStorage:S3:SecretKey={SecretKey}",
        $"--ClipStorage:S3:Prefix={prefix}",
    ];

    private static string ToolDirectory => Path.Combine(RepositoryPaths.Root, "tools", "s3rver");

    private static string Script => Path.Combine(ToolDirectory, "node_modules", "s3rver", "bin", "s3rver.js");

    public static Task<S3rverServer> StartAsync() => StartAsync(new S3rverServer(), s => s.PrepareAsync());

    private async Task PrepareAsync()
    {
        await EnsureInstalledAsync();
        System.IO.Directory.CreateDirectory(Directory.Combine("data"));
    }

    /// <summary>`npm ci` once per test run (test classes may start servers in parallel), exactly as locked.</summary>
    private static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(Script))
            {
                return;
            }

            await using var npm = ChildProcess.Start("npm ci (s3rver)", "npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], ToolDirectory);
            if (await npm.WaitForExitAsync(TimeSpan.FromMinutes(5)) != 0 || !File.Exists(Script))
            {
                throw new InvalidOperationException($"s3rver could not be installed in {ToolDirectory} (npm ci): {npm.Output}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Objects stay in the data folder across a stop, as a real bucket's do.</summary>
    protected override (ChildProcess Process, string ReadyLine) Launch() =>
        (ChildProcess.Start(
            "s3rver",
            "node",
            [Script, "-d", Directory.Combine("data"), "-a", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "--configure-bucket", Bucket],
            Directory.Path),
         "S3rver listening on");
}
