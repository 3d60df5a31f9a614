namespace CctvEdge.Plugins.Detection;

/// <summary>
/// A detection setting that is wrong, named with its value and the rule. The node plugin reports it as the SDK's
/// settings error and the server processor as its start failure; this library knows neither host.
/// </summary>
public sealed class DetectionSettingsException : Exception
{
    /// <summary>An error without a message.</summary>
    public DetectionSettingsException()
    {
    }

    /// <summary>An error with its message.</summary>
    public DetectionSettingsException(string message)
        : base(message)
    {
    }

    /// <summary>An error with its message and cause.</summary>
    public DetectionSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
