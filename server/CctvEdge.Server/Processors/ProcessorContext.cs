using CctvEdge.Server.Plugins.Sdk;

namespace CctvEdge.Server.Processors;

/// <summary>The server's side of <see cref="IProcessorContext"/> for one processor.</summary>
internal sealed class ProcessorContext(string processorId, IConfigurationSection? settings, string dataDirectory, ILogger logger, TimeProvider clock, IProcessorMedia media) : IProcessorContext
{
    public string ProcessorId => processorId;

    public string DataDirectory => dataDirectory;

    public ILogger Logger => logger;

    public TimeProvider Clock => clock;

    public IProcessorMedia Media => media;

    public T BindSettings<T>()
        where T : class, new()
    {
        var bound = new T();
        if (settings is null)
        {
            return bound;
        }

        // The host's own Enabled key is not the processor's; everything else must match a property.
        var values = settings.AsEnumerable(makePathsRelative: true).Where(kv => kv.Value is not null && !kv.Key.Equals("Enabled", StringComparison.OrdinalIgnoreCase));
        try
        {
            new ConfigurationBuilder().AddInMemoryCollection(values).Build().Bind(bound, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"Processors:Settings:{processorId}: {ex.Message}", ex);
        }

        return bound;
    }
}
