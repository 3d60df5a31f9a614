namespace CctvEdge.Plugins.Sense.Devices;

/// <summary>Paths under the sysfs root from settings: a setting may name a device, never climb out of its class folder.</summary>
internal static class SysfsPath
{
    public static string Under(string root, string folder, string relative)
    {
        var baseDirectory = Path.GetFullPath(Path.Combine(root, folder));
        var full = Path.GetFullPath(Path.Combine(baseDirectory, relative));
        if (!full.StartsWith(baseDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new Sdk.PluginSettingsException($"Path '{relative}' leaves {Path.Combine(root, folder)}.");
        }

        return full;
    }

    /// <summary>Reads a one-line sysfs attribute as a number (milli-units, raw counts, scales).</summary>
    public static async Task<double> ReadNumberAsync(string file, CancellationToken cancellationToken)
    {
        var text = (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim();
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new IOException($"{file} holds '{text}', not a number.");
    }
}
