using System.Runtime.CompilerServices;
using CctvEdge.Server.Live;
using CctvEdge.Server.Plugins.Sdk;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Database;
using CctvEdge.Server.Timelapse;
using CctvEdge.Storage;
using CctvEdge.Web.Services;
using Dapper;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Processors.Media;

/// <summary>
/// The server's side of <see cref="IProcessorMedia"/>: stored pictures and clips decoded by the server's ffmpeg
/// (<c>Timelapse:FfmpegPath</c>, the server's one ffmpeg setting), and processors' labels kept per event in
/// <c>events.analysis_json</c>, each processor's under its own id so one never overwrites another's.
/// </summary>
internal sealed class ProcessorMedia(ServerDatabase database, MediaStore media, ClipStore clips, IOptionsMonitor<TimelapseOptions> ffmpeg, ChangeFeed changes)
{
    /// <summary>The media as processor <paramref name="processorId"/> sees it: its labels are marked with its id.</summary>
    public IProcessorMedia For(string processorId) => new View(this, processorId);

    public async ValueTask<RgbImage?> ReadEventImageAsync(string nodeId, string eventId, int maxWidth, CancellationToken cancellationToken)
    {
        string? path;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            path = await connection.QuerySingleOrDefaultAsync<string>(
                "SELECT path FROM files WHERE node_id = @nodeId AND event_id = @eventId AND content_type LIKE 'image/%' ORDER BY id DESC LIMIT 1",
                new { nodeId, eventId }).ConfigureAwait(false);
        }

        var full = path is null ? null : Path.Combine(media.Root, path);
        if (full is null || !File.Exists(full))
        {
            return null;
        }

        await foreach (var picture in Decoder.DecodeAsync(full, framesPerSecond: null, Checked(maxWidth), maxFrames: 1, cancellationToken).ConfigureAwait(false))
        {
            return picture;
        }

        return null;
    }

    public async IAsyncEnumerable<RgbImage> ReadClipFramesAsync(string clipId, double framesPerSecond, int maxWidth, int maxFrames, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(framesPerSecond);
        var clip = await clips.FindAsync(clipId, cancellationToken).ConfigureAwait(false);
        if (clip is not { IsStored: true } || maxFrames <= 0)
        {
            yield break;
        }

        // A clip in object storage is decoded from a temporary copy, deleted once the frames are read.
        await using var local = await clips.LocalCopyAsync(clip.Path!, cancellationToken).ConfigureAwait(false);
        await foreach (var frame in Decoder.DecodeAsync(local.Path, framesPerSecond, Checked(maxWidth), maxFrames, cancellationToken).ConfigureAwait(false))
        {
            yield return frame;
        }
    }

    public async ValueTask<bool> LabelEventAsync(string processorId, string nodeId, string eventId, IReadOnlyList<EventLabel> labels, CancellationToken cancellationToken)
    {
        var camera = await database.WriteAsync(
            async (connection, transaction) =>
            {
                var row = await connection.QuerySingleOrDefaultAsync<(string CameraId, string AnalysisJson)?>(
                    "SELECT camera_id, analysis_json FROM events WHERE node_id = @nodeId AND event_id = @eventId",
                    new { nodeId, eventId },
                    transaction).ConfigureAwait(false);
                if (row is not { } found)
                {
                    return null;
                }

                await connection.ExecuteAsync(
                    """
                    UPDATE events SET analysis_json = @Analysis,
                                      analysis_seq = (SELECT COALESCE(MAX(analysis_seq), 0) + 1 FROM events WHERE analysis_seq > 0)
                    WHERE node_id = @nodeId AND event_id = @eventId
                    """,
                    new { Analysis = EventAnalysis.WithLabels(found.AnalysisJson, processorId, labels), nodeId, eventId },
                    transaction).ConfigureAwait(false);
                return found.CameraId;
            },
            cancellationToken).ConfigureAwait(false);
        if (camera is null)
        {
            return false;
        }

        // Open events pages show the new labels; the notification rules judge the event again.
        changes.Publish(new LiveChange(LiveChangeKind.Event, nodeId, camera));
        return true;
    }

    private FfmpegPictures Decoder => new(ffmpeg.CurrentValue.FfmpegPath);

    private static int Checked(int maxWidth) => maxWidth is >= 16 and <= 7680 ? maxWidth : throw new ArgumentOutOfRangeException(nameof(maxWidth), maxWidth, "between 16 and 7680 pixels");

    /// <summary>One processor's view: its labels carry its id.</summary>
    private sealed class View(ProcessorMedia media, string processorId) : IProcessorMedia
    {
        public ValueTask<RgbImage?> ReadEventImageAsync(string nodeId, string eventId, int maxWidth, CancellationToken cancellationToken) =>
            media.ReadEventImageAsync(nodeId, eventId, maxWidth, cancellationToken);

        public IAsyncEnumerable<RgbImage> ReadClipFramesAsync(string clipId, double framesPerSecond, int maxWidth, int maxFrames, CancellationToken cancellationToken) =>
            media.ReadClipFramesAsync(clipId, framesPerSecond, maxWidth, maxFrames, cancellationToken);

        public ValueTask<bool> LabelEventAsync(string nodeId, string eventId, IReadOnlyList<EventLabel> labels, CancellationToken cancellationToken) =>
            media.LabelEventAsync(processorId, nodeId, eventId, labels, cancellationToken);
    }
}
