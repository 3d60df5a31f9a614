using System.Globalization;
using System.Net;
using CctvEdge.Server.Hosting.Grpc;
using CctvEdge.Server.Storage.Database;
using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Hosting;

/// <summary>The <c>Server</c> section: where the server listens and keeps its data.</summary>
internal sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>The address both ports bind to: 0.0.0.0 for other machines (with Server:WebTls, or a TLS proxy in front of the web port).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The gRPC port nodes dial (HTTP/2 only); 0 picks a free one.</summary>
    public int GrpcPort { get; set; } = 5081;

    /// <summary>The web app's port (HTTP/1.1 and HTTP/2); 0 picks a free one.</summary>
    public int WebPort { get; set; } = 5080;

    /// <summary>Where the database and media files live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Where the server's rows live: <c>sqlite</c> (the default: <c>cctvedge.db</c> in the data directory) or
    /// <c>postgres</c> (at <see cref="ConnectionString"/>). Media files stay in the data directory either way.
    /// </summary>
    public string Database { get; set; } = DatabaseChoice.Sqlite;

    /// <summary>The Npgsql connection string when <see cref="Database"/> is <c>postgres</c>, e.g. <c>Host=db;Database=cctvedge;Username=cctvedge;Password=...</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>How often nodes send heartbeats, in seconds.</summary>
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>When set, nodes that have not enrolled must present it as their credential.</summary>
    public string NodeCredential { get; set; } = "";

    /// <summary>
    /// Only enrolled nodes may connect (each with the credential it got for a one-time code). Off by default so a
    /// first install connects at once; enrolled nodes must present their own credential either way.
    /// </summary>
    public bool RequireEnrolment { get; set; }

    /// <summary>Where clips are stored; empty means <c>clips</c> under the data directory. May be its own disk.</summary>
    public string ClipsDirectory { get; set; } = "";

    /// <summary>Uploads are refused (RESOURCE_EXHAUSTED) when they would leave less free space than this on the clip disk.</summary>
    public int ClipStoreMinFreeMegabytes { get; set; } = 256;

    /// <summary>
    /// Folders admins may export clips into from the web app (a mounted USB disk, say), absolute paths. Exports
    /// go into a new subfolder of one of these and nowhere else.
    /// </summary>
    public List<string> ExportDirectories { get; set; } = [];

    /// <summary>TLS for the gRPC port (<c>Server:Tls</c>); off by default (h2c).</summary>
    public GrpcTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// HTTPS for the web port (<c>Server:WebTls</c>, the same keys as <c>Server:Tls</c>): a given certificate, or the
    /// generated CA's server certificate that the gRPC port uses too. Sign-in cookies are then Secure.
    /// </summary>
    public GrpcTlsOptions WebTls { get; set; } = new();

    /// <summary>HTTP/2 keepalive pings and receive windows for the gRPC port (<c>Server:Http2</c>).</summary>
    public GrpcHttp2Options Http2 { get; set; } = new();

    public string ResolvedDataDirectory => Path.GetFullPath(DataDirectory);

    public string ResolvedClipsDirectory => string.IsNullOrWhiteSpace(ClipsDirectory) ? Path.Combine(ResolvedDataDirectory, "clips") : Path.GetFullPath(ClipsDirectory);

    /// <summary>Where the generated CA and server certificate live when <c>Server:Tls:CertificatePath</c> is empty.</summary>
    public string TlsDirectory => Path.Combine(ResolvedDataDirectory, "tls");

    public IPAddress ResolvedBindAddress => IPAddress.Parse(BindAddress);
}

internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var errors = new List<string>();
        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            errors.Add($"Server:BindAddress '{options.BindAddress}' is not an IP address (e.g. 127.0.0.1 or 0.0.0.0).");
        }

        Port(errors, "Server:GrpcPort", options.GrpcPort);
        Port(errors, "Server:WebPort", options.WebPort);
        if (options.GrpcPort != 0 && options.GrpcPort == options.WebPort)
        {
            errors.Add($"Server:GrpcPort and Server:WebPort are both {options.GrpcPort}; they must differ.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("Server:DataDirectory is required.");
        }

        if (options.ClipStoreMinFreeMegabytes is < 0 or > 10_000_000)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Server:ClipStoreMinFreeMegabytes must be between 0 and 10000000 (was {options.ClipStoreMinFreeMegabytes})."));
        }

        if (options.HeartbeatSeconds is < 1 or > 300)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Server:HeartbeatSeconds must be between 1 and 300 (was {options.HeartbeatSeconds})."));
        }

        for (var i = 0; i < options.ExportDirectories.Count; i++)
        {
            if (!Path.IsPathFullyQualified(options.ExportDirectories[i]))
            {
                errors.Add($"Server:ExportDirectories:{i} must be an absolute path, e.g. /media/usb (was '{options.ExportDirectories[i]}').");
            }
        }

        errors.AddRange(DatabaseChoice.Validate(options.Database, options.ConnectionString));
        errors.AddRange(options.Tls.Validate("Server:Tls"));
        errors.AddRange(options.WebTls.Validate("Server:WebTls"));
        errors.AddRange(options.Http2.Validate("Server:Http2"));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Port(List<string> errors, string key, int port)
    {
        if (port is < 0 or > 65535)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key} must be between 0 and 65535 (was {port})."));
        }
    }
}
