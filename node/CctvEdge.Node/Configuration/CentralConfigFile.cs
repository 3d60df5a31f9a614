using CctvEdge.Node.Cameras;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Configuration;

/// <summary>
/// The last configuration the fleet hub pushed and the node accepted, kept in the data directory
/// (<c>central-config.json</c>: <c>{"version": N, "cameras": [...]}</c>). While it exists, its cameras outrank the local
/// config file's, so a node restarted while offline runs what the hub last gave it. Delete the file to go back to
/// the local file.
/// </summary>
internal static class CentralConfigFile
{
    public const string FileName = "central-config.json";

    public static string PathIn(string dataDirectory) => System.IO.Path.Combine(dataDirectory, FileName);

    /// <summary>The saved cameras, bound and tagged with their version; null when the hub has pushed nothing yet.</summary>
    public static CamerasOptions? TryRead(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not a JSON object");
            var version = root["version"]?.GetValue<ulong>() ?? throw new JsonException("no version");
            var json = root["cameras"]?.ToJsonString() ?? throw new JsonException("no cameras");
            var cameras = Parse(json);
            cameras.Version = version;
            return cameras;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new OptionsValidationException(FileName, typeof(CamerasOptions), [$"{path} is damaged ({ex.Message}); delete it to start from the local config file's cameras."]);
        }
    }

    /// <summary>Saves a version the node has accepted: written aside and renamed over the old file, so a crash leaves one whole file.</summary>
    public static void Write(string dataDirectory, ulong version, string camerasJson)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = PathIn(dataDirectory);
        var text = new JsonObject { ["version"] = version, ["cameras"] = JsonNode.Parse(camerasJson) }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(Encoding.UTF8.GetBytes(text));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Binds a Cameras section given as JSON (an array of camera entries) exactly as the config file's is bound:
    /// unknown keys and bad values throw <see cref="OptionsValidationException"/> naming the key.
    /// </summary>
    public static CamerasOptions Parse(string camerasJson)
    {
        var node = JsonNode.Parse(camerasJson);
        if (node is not JsonArray)
        {
            throw new OptionsValidationException(CamerasOptions.Section, typeof(CamerasOptions), ["Cameras must be a JSON array of camera entries."]);
        }

        var wrapped = new JsonObject { [CamerasOptions.Section] = node.DeepClone() }.ToJsonString();
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(wrapped))).Build();
        var cameras = NodeConfiguration.ReadCameras(configuration);
        cameras.Json = ConfigurationJson.Normalize(camerasJson);
        return cameras;
    }
}
