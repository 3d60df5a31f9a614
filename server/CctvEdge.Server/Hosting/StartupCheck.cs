using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Hosting;

/// <summary>
/// Every invalid key of every section, before the server starts: the options library's start-up validator checks all
/// sections that asked for it and aggregates their failures, where the host's own start would log a stack trace and stop.
/// </summary>
internal static class StartupCheck
{
    public static IReadOnlyList<string> Problems(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return [.. ex.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures).Distinct(StringComparer.Ordinal)];
        }
    }
}
