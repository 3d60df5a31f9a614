using System.ComponentModel;
using System.Diagnostics;

namespace CctvEdge.Server.Timelapse;

/// <summary>
/// How the server starts its one-shot ffmpeg runs (timelapse encoding, pictures decoded for processors): an argument
/// list, never a command line, and one message when the program is missing (<c>Timelapse:FfmpegPath</c> is the
/// server's one ffmpeg setting).
/// </summary>
internal static class ServerFfmpeg
{
    /// <summary>ffmpeg at <paramref name="path"/> with <paramref name="arguments"/>, its output and errors redirected.</summary>
    public static ProcessStartInfo StartInfo(string path, IEnumerable<string> arguments, bool redirectInput = false)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>What to tell the user when ffmpeg could not be started.</summary>
    public static string CannotStart(string path, Win32Exception ex) => $"'{path}' could not be started ({ex.Message}); install ffmpeg or set Timelapse:FfmpegPath";
}
