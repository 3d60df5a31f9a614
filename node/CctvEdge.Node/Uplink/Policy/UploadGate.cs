using System.Globalization;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Recording;

namespace CctvEdge.Node.Uplink.Policy;

/// <summary>What the link's policy holds back now, for the heartbeat.</summary>
internal sealed record UploadHold(long HeldClips, string Reason, bool WindowOpen);

/// <summary>
/// Holds clip uploads to the upload policy's time windows and daily byte budget. A clip starts only inside its
/// camera's windows (a retrieval: at any time, someone waits for it) and only when all of it fits in what is left of
/// the day's budget, so the budget holds to the byte for clip data. The day's use is kept in the outbox's state, so a
/// restart does not reset it. Held clips stay in the outbox, announced to the server, until they may go.
/// </summary>
internal sealed class UploadGate(UploadPolicy policy, CameraConfiguration cameras, ClipQueue queue, TimeProvider clock)
{
    private const string StateKey = "upload-budget";
    private readonly Lock _lock = new();
    private bool _loaded;
    private string _day = "";
    private long _used;
    private UploadHold _hold = new(0, "", true);

    public long BudgetBytes => (long)(policy.Options.DailyBudgetMegabytes * 1024 * 1024);

    public UploadHold Hold => Volatile.Read(ref _hold);

    /// <summary>Clip bytes sent today (node-local day).</summary>
    public long UsedBytes
    {
        get
        {
            lock (_lock)
            {
                return _used;
            }
        }
    }

    /// <summary>The first of <paramref name="candidates"/> (oldest first) that may go now, or null; records what is held and why.</summary>
    public async Task<PendingClip?> ChooseAsync(IReadOnlyList<PendingClip> candidates, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        var local = LocalNow();
        lock (_lock)
        {
            RollOver(local);
            var time = TimeOnly.FromDateTime(local.DateTime);
            var nodeWindows = UploadWindow.ParseAll(policy.Options.Windows);
            // Each camera's windows once per pass, not once per waiting clip.
            var windows = new Dictionary<string, IReadOnlyList<UploadWindow>>(StringComparer.Ordinal);
            foreach (var camera in cameras.Current.Items)
            {
                windows[camera.Id] = policy.For(camera).Windows;
            }

            string? reason = null;
            var held = 0;
            PendingClip? chosen = null;
            foreach (var clip in candidates)
            {
                var why = WhyHeld(clip, windows.GetValueOrDefault(clip.CameraId, nodeWindows), time);
                if (why is null)
                {
                    chosen ??= clip;
                    continue;
                }

                held++;
                reason ??= why;
            }

            Volatile.Write(ref _hold, new UploadHold(held, reason ?? "", UploadWindow.AnyContains(nodeWindows, time)));
            return chosen;
        }
    }

    /// <summary>Counts bytes sent (each chunk as it goes).</summary>
    public void Spent(long bytes)
    {
        lock (_lock)
        {
            _used += bytes;
        }
    }

    /// <summary>Saves the day's use; called after each upload attempt.</summary>
    public Task SaveAsync(CancellationToken cancellationToken)
    {
        string value;
        lock (_lock)
        {
            value = string.Create(CultureInfo.InvariantCulture, $"{_day} {_used}");
        }

        return queue.SetStateAsync(StateKey, value, cancellationToken);
    }

    /// <param name="windows">The clip's camera's windows (the node's for a camera gone since).</param>
    private string? WhyHeld(PendingClip clip, IReadOnlyList<UploadWindow> windows, TimeOnly time)
    {
        if (clip.Reason != VideoRetrieval.Reason)
        {
            if (!UploadWindow.AnyContains(windows, time))
            {
                return $"clips are sent only {string.Join(", ", windows)} (node time)";
            }
        }

        var budget = BudgetBytes;
        if (budget > 0 && clip.Size > budget - _used)
        {
            return clip.Size > budget
                ? $"clip {clip.Id} ({Megabytes(clip.Size)}) is larger than the whole daily budget ({Megabytes(budget)}): raise UploadPolicy:DailyBudgetMegabytes to send it"
                : $"the daily upload budget is used ({Megabytes(_used)} of {Megabytes(budget)}); clips go again after midnight (node time)";
        }

        return null;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        var saved = await queue.GetStateAsync(StateKey, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            var parts = saved?.Split(' ') ?? [];
            if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var used))
            {
                (_day, _used) = (parts[0], used);
            }

            _loaded = true;
        }
    }

    /// <summary>A new local day starts with the whole budget.</summary>
    private void RollOver(DateTimeOffset local)
    {
        var day = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (day != _day)
        {
            (_day, _used) = (day, 0);
        }
    }

    private DateTimeOffset LocalNow()
    {
        var zone = policy.Options.TimeZone.Length > 0 ? TimeZoneInfo.FindSystemTimeZoneById(policy.Options.TimeZone) : clock.LocalTimeZone;
        return TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone);
    }

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB";
}
