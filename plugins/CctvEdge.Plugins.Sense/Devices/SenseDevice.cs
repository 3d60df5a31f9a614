namespace CctvEdge.Plugins.Sense.Devices;

/// <summary>Opening a device through a binding: the bus device is closed if the binding refuses it, never leaked.</summary>
internal static class SenseDevice
{
    public static T Opened<T>(IDisposable device, Func<T> open)
    {
        try
        {
            return open();
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }
}
