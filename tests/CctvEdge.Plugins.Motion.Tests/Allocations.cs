using System.Runtime;

namespace CctvEdge.Plugins.Motion.Tests;

/// <summary>Counts the bytes a piece of work allocates on the calling thread.</summary>
internal static class Allocations
{
    private const long Budget = 64L * 1024 * 1024;

    /// <summary>
    /// Runs <paramref name="work"/> inside a no-GC region. On a loaded machine a collection that happened to run in the
    /// middle of the measured loop showed up as a few hundred phantom bytes on this thread about one run in six; with no
    /// collection possible, any byte counted is one the work itself allocated.
    /// </summary>
    public static long OnThisThread(Action work)
    {
        var noGc = GC.TryStartNoGCRegion(Budget);
        try
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            work();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        finally
        {
            if (noGc && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }
    }
}
