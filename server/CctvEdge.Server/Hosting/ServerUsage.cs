namespace CctvEdge.Server.Hosting;

/// <summary>What <c>cctvedge-server --help</c> prints: every command and the options an installer reaches for first.</summary>
internal static class ServerUsage
{
    public const string Text = """
        cctvedge-server: the CctvEdge central server (node sessions over gRPC, storage, rules, the web app).

        usage:
          cctvedge-server [--grpc-port N] [--web-port N] [--data DIR] [--bind ADDRESS] [--Section:Key VALUE ...]
              run the server until SIGTERM or Ctrl+C (exit 0); a bad configuration exits 2 listing every key at fault
          cctvedge-server enrolment-code [--node ID] [--hours N] [--comment TEXT] [--data DIR]
              print a one-time code a node enrols with (cctvedge-node enrol)
          cctvedge-server check [--hash] [--repair] [--data DIR]
              verify every stored clip against its row (and its sha256 with --hash); exit 0 when clean
          cctvedge-server migrate --from sqlite:PATH --to postgres:CONNECTION
              copy every row of a SQLite installation (stopped) into an empty PostgreSQL database, counts verified;
              clips and pictures stay in the data folder
          cctvedge-server --help | --version

        main options (any key of appsettings.json can be given as --Section:Key VALUE or CCTVEDGE_Section__Key=VALUE):
          --grpc-port N               where nodes connect (default 5081)
          --web-port N                the web app and REST API (default 5080)
          --data DIR                  the database, clips and keys (default ./data)
          --bind ADDRESS              the address both ports listen on (default 0.0.0.0)
          --Server:RequireEnrolment true   accept enrolled nodes only
        """;
}
