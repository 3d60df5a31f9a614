using System.Text.Json;

namespace CctvEdge.Node.Cameras;

/// <summary>
/// The node's running cameras, changed live as the configuration changes: a camera that appears gets a worker, one
/// that goes or is deactivated is stopped, one whose video settings change is stopped and started again, and one
/// whose name or plugins change keeps its worker (and ffmpeg) running.
/// </summary>
internal sealed class CameraFleet(Func<CameraOptions, CameraWorker> create, Func<CameraWorker, CancellationToken, Task> run) : IAsyncDisposable
{
    private readonly Dictionary<string, Running> _running = new(StringComparer.Ordinal);
    private IReadOnlyList<CameraWorker> _workers = [];

    /// <summary>The workers now running, in configuration order.</summary>
    public IReadOnlyList<CameraWorker> Workers => Volatile.Read(ref _workers);

    /// <summary>
    /// Brings the workers in line with <paramref name="cameras"/>. Workers that go are stopped first, so a device a
    /// replaced worker held (a USB camera) is free before its successor opens it. Calls must not overlap.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyList<CameraOptions> cameras, CancellationToken stop)
    {
        var wanted = cameras.Where(c => c.Enabled).ToDictionary(c => c.Id, StringComparer.Ordinal);
        var leaving = _running.Values
            .Where(r => !wanted.TryGetValue(r.Worker.Camera.Id, out var next) || VideoKey(next) != VideoKey(r.Worker.Camera))
            .ToList();
        foreach (var gone in leaving)
        {
            _running.Remove(gone.Worker.Camera.Id);
        }

        await StopAsync(leaving).ConfigureAwait(false);
        var workers = new List<CameraWorker>();
        foreach (var camera in cameras.Where(c => c.Enabled))
        {
            if (_running.TryGetValue(camera.Id, out var kept))
            {
                kept.Worker.Retag(camera);
            }
            else
            {
                var worker = create(camera);
                var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
                kept = new Running(worker, cancel, run(worker, cancel.Token));
                _running[camera.Id] = kept;
            }

            workers.Add(kept.Worker);
        }

        Volatile.Write(ref _workers, workers);
    }

    public async ValueTask DisposeAsync()
    {
        var all = _running.Values.ToList();
        _running.Clear();
        Volatile.Write(ref _workers, []);
        await StopAsync(all).ConfigureAwait(false);
    }

    /// <summary>What decides whether a change needs the camera's ffmpeg restarted: everything but its name, plugins and switch.</summary>
    public static string VideoKey(CameraOptions camera) =>
        JsonSerializer.Serialize(new { camera.Id, camera.Source, camera.Detect, camera.SnapshotSeconds, camera.GridSnapshotSeconds, camera.SnapshotMaxWidth, camera.Recording });

    private static async Task StopAsync(IReadOnlyList<Running> workers)
    {
        foreach (var worker in workers)
        {
            await worker.Cancel.CancelAsync().ConfigureAwait(false);
        }

        foreach (var worker in workers)
        {
            try
            {
                await worker.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                worker.Cancel.Dispose();
            }
        }
    }

    private sealed record Running(CameraWorker Worker, CancellationTokenSource Cancel, Task Task);
}
