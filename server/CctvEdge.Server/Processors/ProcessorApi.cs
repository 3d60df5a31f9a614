namespace CctvEdge.Server.Processors;

/// <summary>The server processors and how they are doing: what an operator checks after dropping one in.</summary>
internal static class ProcessorApi
{
    public static IEndpointRouteBuilder MapProcessorApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/processors", (ProcessorHost host) => host.Instances.Select(p =>
        {
            var (processed, dropped, errors, overBudget) = p.Counters;
            return new ProcessorView(p.Id, p.Version, p.State.ToString().ToLowerInvariant(), p.Error, processed, dropped, errors, overBudget);
        }));
        return endpoints;
    }

    internal sealed record ProcessorView(string Id, string Version, string State, string Error, long BatchesProcessed, long BatchesDropped, long Errors, long CallsOverBudget);
}
