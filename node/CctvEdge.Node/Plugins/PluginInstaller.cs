using System.Security.Cryptography;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Uplink;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol;
using CctvEdge.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Plugins;

/// <summary>
/// Installs a plugin package rolled out by the server: downloads it into <c>DataDirectory/plugin-downloads</c>
/// (resuming a partial download after a lost link), checks its size and sha256 and the package as the server did,
/// unpacks it beside the plugins, then swaps folders (the running version goes to <c>.previous-{id}</c>, kept for a
/// manual rollback) and waits for the catalog to load the new version: the watcher loads it as if a person had copied
/// it in, the old version draining its frames first.
/// </summary>
internal sealed partial class PluginInstaller(ServerConnection server, PluginCatalog catalog, IOptions<NodeOptions> node, ILogger<PluginInstaller> logger)
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Null once the catalog runs the package's version; otherwise why it does not.</summary>
    public async Task<string?> InstallAsync(InstallPlugin install, CancellationToken cancellationToken)
    {
        if (!Identifier.IsValid(install.PluginId) || install.PackageId.Length != 64 || !install.PackageId.All(Uri.IsHexDigit))
        {
            return $"The install command names an invalid plugin '{install.PluginId}' or package '{install.PackageId}'.";
        }

        string package;
        try
        {
            package = await DownloadAsync(install, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode is not StatusCode.Cancelled)
        {
            return $"The download of the package failed: {ex.Status.Detail}";
        }

        PluginManifest manifest;
        try
        {
            manifest = PluginPackage.Inspect(package);
        }
        catch (PluginLoadException ex)
        {
            return "The package is refused: " + ex.Message;
        }

        if (manifest.Id != install.PluginId || manifest.Version != install.Version)
        {
            return $"The package holds {manifest.Id} {manifest.Version}, not {install.PluginId} {install.Version}.";
        }

        Swap(package, manifest);
        LogSwapped(logger, manifest.Id, manifest.Version);
        return await WaitForLoadAsync(manifest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The verified package file, downloading what is missing of it.</summary>
    private async Task<string> DownloadAsync(InstallPlugin install, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(node.Value.ResolvedDataDirectory, "plugin-downloads");
        Directory.CreateDirectory(directory);
        var done = Path.Combine(directory, install.PackageId + ".zip");
        var part = done + ".part";
        if (!File.Exists(done))
        {
            await using (var file = new FileStream(part, FileMode.Append, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var client = new NodeService.NodeServiceClient(server.Channel);
                using var call = client.DownloadPlugin(new PluginDownload { PackageId = install.PackageId, Offset = (ulong)file.Length }, server.Call(cancellationToken));
                await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (Crc32C.Compute(chunk.Data.Span) != chunk.Crc32C || (ulong)(file.Length + chunk.Data.Length) > install.Size)
                    {
                        throw new RpcException(new Status(StatusCode.DataLoss, "a chunk of the package arrived damaged, or the package is longer than announced."));
                    }

                    await file.WriteAsync(chunk.Data.Memory, cancellationToken).ConfigureAwait(false);
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(part, done, overwrite: true);
        }

        await using (var check = File.OpenRead(done))
        {
            if ((ulong)check.Length != install.Size || Convert.ToHexStringLower(await SHA256.HashDataAsync(check, cancellationToken).ConfigureAwait(false)) != install.PackageId)
            {
                check.Close();
                File.Delete(done);
                throw new RpcException(new Status(StatusCode.DataLoss, "the package's size or sha256 does not match; it was deleted and is fetched again next time."));
            }
        }

        return done;
    }

    /// <summary>Unpacks beside the plugins (same disk, so the swap is two renames), then puts the new folder in the old one's place.</summary>
    private void Swap(string package, PluginManifest manifest)
    {
        var plugins = node.Value.ResolvedPluginsDirectory;
        Directory.CreateDirectory(plugins);
        var staging = Path.Combine(plugins, $".staging-{manifest.Id}-{Guid.NewGuid():N}");
        PluginPackage.Extract(package, staging);
        var current = catalog.Plugins.FirstOrDefault(p => p.Id == manifest.Id)?.Folder ?? Path.Combine(plugins, manifest.Id);
        var previous = Path.Combine(plugins, $".previous-{manifest.Id}");
        if (Directory.Exists(current))
        {
            if (Directory.Exists(previous))
            {
                Directory.Delete(previous, recursive: true);
            }

            Directory.Move(current, previous);
        }

        Directory.Move(staging, current);
    }

    private async Task<string?> WaitForLoadAsync(PluginManifest manifest, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LoadTimeout);
        try
        {
            while (true)
            {
                if (catalog.Plugins.FirstOrDefault(p => p.Id == manifest.Id && p.Version == manifest.Version) is { } installed)
                {
                    return installed.Error is { } error ? $"Version {manifest.Version} did not load: {error}" : null;
                }

                await Task.Delay(250, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"Version {manifest.Version} was installed but not loaded within {LoadTimeout.TotalSeconds:0} s.";
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Plugin {PluginId} {Version} from the server swapped into the plugins directory.")]
    private static partial void LogSwapped(ILogger logger, string pluginId, string version);
}
