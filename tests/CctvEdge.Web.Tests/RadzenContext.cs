using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace CctvEdge.Web.Tests;

/// <summary>A bUnit context for pages built on Radzen: its services, and JS calls answered loosely (none matter here).</summary>
public abstract class RadzenContext : IDisposable
{
    protected RadzenContext()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddRadzenComponents();
    }

    protected BunitContext Context { get; } = new();

    public void Dispose()
    {
        Context.Dispose();
        GC.SuppressFinalize(this);
    }
}
