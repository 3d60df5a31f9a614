using System.Text.Json;
using System.Text.Json.Nodes;
using CctvEdge.Node.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace CctvEdge.Node.Enrolment;

/// <summary>
/// <c>DataDirectory/enrolment.json</c>: what <c>cctvedge-node enrol</c> got from the server, in the config file's
/// shape (<c>Server:Address</c>, <c>Server:Credential</c>, and <c>Node:Id</c> when the enrolment chose it). It is a
/// configuration source above the <c>--config</c> file (enrolling is the installer's latest word on where the server
/// is and who the node is) and below environment variables and the command line. Readable by its owner only.
/// </summary>
internal static class EnrolmentFile
{
    public const string FileName = "enrolment.json";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>The data directory a configuration names (<c>Node:DataDirectory</c>, NodeOptions' default when it names none), in full.</summary>
    public static string DataDirectoryOf(IConfiguration configuration) =>
        Path.GetFullPath(configuration[$"{NodeOptions.Section}:DataDirectory"] is { Length: > 0 } configured ? configured : new NodeOptions().DataDirectory);

    public static void Write(string dataDirectory, string? nodeId, string address, string credential)
    {
        Directory.CreateDirectory(dataDirectory);
        var document = new JsonObject();
        if (nodeId is not null)
        {
            document["Node"] = new JsonObject { ["Id"] = nodeId };
        }

        document["Server"] = new JsonObject { ["Address"] = address, ["Credential"] = credential };
        var path = PathIn(dataDirectory);
        var temporary = path + ".tmp";
        File.Delete(temporary);
        // Created owner-only from the start, so the credential is never readable by others, not even for a moment.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, document, new JsonSerializerOptions { WriteIndented = true });
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Adds the enrolment of the data directory the configuration names, if there is one, just above the config file.</summary>
    public static void AddTo(IConfigurationBuilder builder, IConfiguration current, int at)
    {
        var path = PathIn(DataDirectoryOf(current));
        if (!File.Exists(path))
        {
            return;
        }

        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        builder.Sources.Insert(at, source);
    }
}
