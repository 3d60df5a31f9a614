using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Components;
using Radzen;

namespace CctvEdge.Web.Components.Events;

/// <summary>
/// A view of the filtered events one page at a time (the list and the thumbnails): reloads when the filter changes
/// (back to the first page) or when the page bumps <see cref="Version"/> after a change.
/// </summary>
public abstract class EventPageBase : ComponentBase
{
    private EventFilter? _loadedFilter;
    private int _loadedVersion = -1;

    [Inject]
    private IReviewQuery Query { get; set; } = default!;

    [Parameter, EditorRequired]
    public EventFilter Filter { get; set; } = default!;

    /// <summary>Bumped by the page when events changed.</summary>
    [Parameter]
    public int Version { get; set; }

    protected EventPage Page { get; private set; } = new([], 0);

    protected int PageIndex { get; private set; }

    protected bool Loading { get; private set; }

    protected abstract int PageSize { get; }

    protected override async Task OnParametersSetAsync()
    {
        if (Filter != _loadedFilter)
        {
            PageIndex = 0;
            OnFilterChanged();
        }

        if (Filter != _loadedFilter || Version != _loadedVersion)
        {
            await LoadAsync();
        }
    }

    /// <summary>Called before the first page of a new filter loads.</summary>
    protected virtual void OnFilterChanged()
    {
    }

    protected async Task LoadAsync()
    {
        Loading = true;
        (_loadedFilter, _loadedVersion) = (Filter, Version);
        Page = await Query.GetEventsAsync(Filter, PageIndex * PageSize, PageSize, CancellationToken.None);
        Loading = false;
    }

    protected async Task PageChangedAsync(PagerEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        PageIndex = args.PageIndex;
        OnFilterChanged();
        await LoadAsync();
    }
}
