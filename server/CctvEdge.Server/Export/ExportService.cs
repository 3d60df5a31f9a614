using CctvEdge.Server.Accounts;
using CctvEdge.Web.Services;

namespace CctvEdge.Server.Export;

/// <summary>The export page's service: anyone plans and downloads zips; only admins write to the server's folders.</summary>
internal sealed class ExportService(ExportClips export, FolderExports folders, CurrentUser current) : IExportService
{
    public IReadOnlyList<ExportTarget> Targets => folders.Targets;

    public async Task<ExportPlan> PlanAsync(ExportSelection selection, CancellationToken cancellationToken)
    {
        var items = await export.SelectAsync(selection, cancellationToken).ConfigureAwait(false);
        return new ExportPlan(items.Count, items.Sum(i => i.Clip.Size));
    }

    public async Task<ExportProgress> StartCopyAsync(ExportSelection selection, int targetIndex, string name, CancellationToken cancellationToken)
    {
        await current.RequireAdminAsync().ConfigureAwait(false);
        return folders.Start(selection, targetIndex, name);
    }

    public IDisposable Watch(string exportId, Action<ExportProgress> onChange) => folders.Watch(exportId, onChange);

    public void Cancel(string exportId) => folders.Cancel(exportId);
}
