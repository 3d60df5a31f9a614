using System.Globalization;
using System.Net.Sockets;
using CctvEdge.Harness;

namespace CctvEdge.Testing;

/// <summary>
/// Debian's pure-ftpd on 127.0.0.1, in the foreground, with one virtual user (a puredb file in a temporary folder, no
/// system account) chrooted to an upload folder: the FTP server a push camera uploads its pictures to. Stopped on dispose.
/// </summary>
public sealed class PureFtpServer : IAsyncDisposable
{
    public const string User = "camera";
    public const string Password = "ftp-password-0123";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _directory = new("cctvedge-ftp");
    private ChildProcess? _process;

    private PureFtpServer(string uploads)
    {
        Port = FreePort.Next();
        Uploads = uploads;
    }

    public int Port { get; }

    /// <summary>The folder the user's uploads land in (its FTP root).</summary>
    public string Uploads { get; }

    /// <summary>Starts the server with its user's root at <paramref name="uploads"/> (made writable for the server's unprivileged user).</summary>
    public static async Task<PureFtpServer> StartAsync(string uploads)
    {
        var server = new PureFtpServer(uploads);
        try
        {
            await server.StartCoreAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Uploads files as a camera does after a trigger: one FTP session (curl's client, one STOR per file into the root),
    /// so the pictures of a burst arrive as close together as the camera sends them.
    /// </summary>
    public async Task UploadAsync(params (string File, string RemoteName)[] files)
    {
        List<string> args = ["-sS", "--max-time", "30"];
        foreach (var (file, remoteName) in files)
        {
            args.AddRange(["-T", file, $"ftp://{User}:{Password}@127.0.0.1:{Port}/{remoteName}"]);
        }

        await using var curl = ChildProcess.Start("curl", "/usr/bin/curl", args, _directory.Path);
        var exit = await curl.WaitForExitAsync(TimeSpan.FromSeconds(40));
        if (exit != 0)
        {
            throw new InvalidOperationException($"curl upload failed ({exit}): {curl.Output}");
        }
    }

    private async Task StartCoreAsync()
    {
        Directory.CreateDirectory(Uploads);
        // The virtual user works as nobody: it must be able to write the uploads folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Uploads, (UnixFileMode)0x1FF);
        }
        var passwd = _directory.Combine("pureftpd.passwd");
        var database = _directory.Combine("pureftpd.pdb");
        var script = $"printf '%s\\n%s\\n' '{Password}' '{Password}' | /usr/bin/pure-pw useradd {User} -u nobody -g nogroup -d '{Uploads}' -f '{passwd}' -m -F '{database}'";
        await using (var pw = ChildProcess.Start("pure-pw", "/bin/sh", ["-c", script], _directory.Path))
        {
            if (await pw.WaitForExitAsync(StartTimeout) != 0)
            {
                throw new InvalidOperationException("pure-pw failed: " + pw.Output);
            }
        }

        // -l puredb: only the virtual user; -E no anonymous; -A chroot; -H no DNS; -R no chmod; runs in the foreground.
        _process = ChildProcess.Start(
            "pure-ftpd",
            "/usr/sbin/pure-ftpd",
            ["-l", $"puredb:{database}", "-S", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1,{Port}"), "-E", "-A", "-H", "-R", "-c", "10", "-C", "10"],
            _directory.Path);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await GreetsAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("pure-ftpd did not start: " + _process.Output);
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Whether the server answers with its 220 greeting.</summary>
    private async Task<bool> GreetsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port).WaitAsync(TimeSpan.FromSeconds(2));
            using var reader = new StreamReader(client.GetStream());
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(2));
            return line?.StartsWith("220", StringComparison.Ordinal) == true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }

        _directory.Dispose();
    }
}
