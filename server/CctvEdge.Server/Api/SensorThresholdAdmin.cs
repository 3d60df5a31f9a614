using CctvEdge.Server.Accounts;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Api;

/// <summary>The sensors page's threshold editor, on the REST API's validation (<see cref="SensorApi"/>); admins only, audited.</summary>
internal sealed class SensorThresholdAdmin(SensorThresholdStore store, AuditStore audit, CurrentUser current) : ISensorThresholds
{
    public async Task<string?> SaveAsync(string node, string sensor, IReadOnlyList<SensorThreshold> thresholds, CancellationToken cancellationToken)
    {
        var by = await current.RequireAdminAsync().ConfigureAwait(false);
        var (status, errors) = await SensorApi.SaveThresholdsAsync(node, sensor, thresholds, store, cancellationToken).ConfigureAwait(false);
        var saved = status == StatusCodes.Status200OK;
        await audit.PageChangeAsync(by, "change sensor thresholds", $"sensor {node}.{sensor} ({string.Join(' ', thresholds.Select(t => t.Name))})", saved ? "saved" : errors.Summary).ConfigureAwait(false);
        return saved ? null : errors.Summary;
    }
}
