using System.Globalization;
using System.Security.Cryptography;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Live;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Sessions;

/// <summary>
/// Plugin rollout: packages uploaded by admins are kept under <c>plugin-packages/</c> in the data directory (named by
/// their sha256); a rollout to a node is pushed down its session as <c>install_plugin</c> at once, or at its next
/// hello; the node downloads the package (<c>DownloadPlugin</c>, resumable), swaps it in and replies, and the reply is
/// recorded as installed or failed with the reason. Rolling back is rolling out the earlier package.
/// </summary>
internal sealed partial class PluginRollouts(
    PluginPackageStore store,
    SessionRegistry sessions,
    ChangeFeed changes,
    IOptions<ServerOptions> options,
    TimeProvider clock,
    ILogger<PluginRollouts> logger)
{
    public const long MaxPackageBytes = 200L * 1024 * 1024;
    private const string CommandPrefix = "plugin-";
    private const int ChunkBytes = 256 * 1024;

    private string Directory => Path.Combine(options.Value.ResolvedDataDirectory, "plugin-packages");

    public string PackagePath(string packageId) => Path.Combine(Directory, packageId + ".zip");

    /// <summary>Stores an uploaded package after checking it as a node will; the problem in words when it is refused.</summary>
    public async Task<(PluginPackageRow? Package, string? Problem)> AddPackageAsync(Stream body, string uploadedBy, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = Path.Combine(Directory, $".upload-{Guid.NewGuid():N}.zip");
        try
        {
            string id;
            long size;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (file.Length + read > MaxPackageBytes)
                    {
                        return (null, $"The package is larger than {MaxPackageBytes / 1024 / 1024} MiB.");
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
                size = file.Length;
                id = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            PluginManifest manifest;
            try
            {
                manifest = PluginPackage.Inspect(temporary);
            }
            catch (PluginLoadException ex)
            {
                return (null, "The package is refused: " + ex.Message);
            }

            File.Move(temporary, PackagePath(id), overwrite: true);
            var row = await store.AddPackageAsync(
                new PluginPackageRow { Id = id, PluginId = manifest.Id, Version = manifest.Version, Description = manifest.Description ?? "", Size = size, UploadedBy = uploadedBy, UploadedMs = clock.GetUtcNow().ToUnixTimeMilliseconds() },
                cancellationToken).ConfigureAwait(false);
            LogUploaded(logger, row.PluginId, row.Version, id, uploadedBy);
            return (row, null);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Rolls <paramref name="package"/> out to each node: pushed now to those connected, at their next hello to the others.</summary>
    public async Task<IReadOnlyList<PluginRolloutRow>> StartAsync(PluginPackageRow package, IEnumerable<string> nodeIds, string by, CancellationToken cancellationToken)
    {
        var rollouts = new List<PluginRolloutRow>();
        foreach (var nodeId in nodeIds.Distinct(StringComparer.Ordinal))
        {
            var rollout = await store.AddRolloutAsync(nodeId, package, by, cancellationToken).ConfigureAwait(false);
            rollouts.Add(await PushAsync(rollout, package, cancellationToken).ConfigureAwait(false));
        }

        return rollouts;
    }

    /// <summary>At a node's hello: the rollouts it has not finished.</summary>
    public async Task NodeConnectedAsync(string nodeId, CancellationToken cancellationToken)
    {
        foreach (var rollout in await store.UnfinishedAsync(nodeId, cancellationToken).ConfigureAwait(false))
        {
            if (await store.FindPackageAsync(rollout.PackageId, cancellationToken).ConfigureAwait(false) is { } package)
            {
                await PushAsync(rollout, package, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Records the node's answer to an install; false when the reply is not about a rollout.</summary>
    public async Task<bool> TryRecordReplyAsync(string nodeId, CommandReply reply, CancellationToken cancellationToken)
    {
        if (!reply.CommandId.StartsWith(CommandPrefix, StringComparison.Ordinal)
            || !long.TryParse(reply.CommandId[CommandPrefix.Length..].Split('-')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        if (!reply.Ok)
        {
            LogFailed(logger, nodeId, id, reply.Error);
        }

        await store.SetStateAsync(id, reply.Ok ? PluginPackageStore.Installed : PluginPackageStore.Failed, reply.Error, cancellationToken).ConfigureAwait(false);
        changes.Publish(new LiveChange(LiveChangeKind.Node, nodeId, null));
        return true;
    }

    /// <summary>Streams a package to a node it was rolled out to, from <see cref="PluginDownload.Offset"/> on.</summary>
    public async Task DownloadAsync(string nodeId, PluginDownload request, IServerStreamWriter<PluginPackageChunk> chunks, CancellationToken cancellationToken)
    {
        // The id becomes a file name: only a sha256 in hex may reach the path.
        if (request.PackageId.Length != 64 || !request.PackageId.All(char.IsAsciiHexDigit))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "A package id is the package's sha256 in hex."));
        }

        if (!await store.RolledOutToAsync(nodeId, request.PackageId, cancellationToken).ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"Package '{request.PackageId}' was not rolled out to node '{nodeId}'."));
        }

        var path = PackagePath(request.PackageId);
        if (!File.Exists(path))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"Package '{request.PackageId}' is no longer on the server; upload it again."));
        }

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes, useAsync: true);
        if (request.Offset > (ulong)file.Length)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange, $"Offset {request.Offset} is past the package's end ({file.Length} bytes)."));
        }

        file.Position = (long)request.Offset;
        var buffer = new byte[ChunkBytes];
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var data = buffer.AsSpan(0, read);
            await chunks.WriteAsync(new PluginPackageChunk { Data = ByteString.CopyFrom(data), Crc32C = Crc32C.Compute(data) }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<PluginRolloutRow> PushAsync(PluginRolloutRow rollout, PluginPackageRow package, CancellationToken cancellationToken)
    {
        var command = new Command
        {
            CommandId = $"{CommandPrefix}{rollout.Id.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}",
            InstallPlugin = new InstallPlugin { PackageId = package.Id, PluginId = package.PluginId, Version = package.Version, Size = (ulong)package.Size },
        };
        if (!sessions.TrySend(rollout.NodeId, new ServerMessage { Command = command }))
        {
            return rollout;
        }

        LogPushed(logger, rollout.NodeId, package.PluginId, package.Version, rollout.Id);
        await store.SetStateAsync(rollout.Id, PluginPackageStore.Sent, "", cancellationToken).ConfigureAwait(false);
        return rollout with { State = PluginPackageStore.Sent };
    }

    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "Plugin package {PluginId} {Version} ({PackageId}) uploaded by {By}.")]
    private static partial void LogUploaded(ILogger logger, string pluginId, string version, string packageId, string by);

    [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "Node {NodeId}: install of plugin {PluginId} {Version} sent (rollout {Rollout}).")]
    private static partial void LogPushed(ILogger logger, string nodeId, string pluginId, string version, long rollout);

    [LoggerMessage(EventId = 142, Level = LogLevel.Warning, Message = "Node {NodeId}: rollout {Rollout} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string nodeId, long rollout, string error);
}
