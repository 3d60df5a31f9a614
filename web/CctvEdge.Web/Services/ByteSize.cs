using System.Globalization;

namespace CctvEdge.Web.Services;

/// <summary>Sizes as the storage page writes them (KB, MB, GB in powers of 1024); the daily report e-mail writes them the same way.</summary>
public static class ByteSize
{
    public static string Format(long? bytes) => bytes switch
    {
        null => "–",
        >= 1L << 30 => (bytes.Value / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GB",
        >= 1L << 20 => (bytes.Value / (double)(1L << 20)).ToString("0", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes.Value / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " KB",
    };
}
