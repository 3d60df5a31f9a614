namespace CctvEdge.Node;

/// <summary>What <c>cctvedge-node --help</c> prints: every command and the options an installer reaches for first.</summary>
internal static class Usage
{
    public const string Text = """
        cctvedge-node: the CctvEdge node agent (cameras, sensors, plugins, outbox, uplink to the server).

        usage:
          cctvedge-node [--config FILE] [--Section:Key VALUE ...]
              run the agent until SIGTERM or Ctrl+C (exit 0); a bad configuration exits 2 listing every key at fault
          cctvedge-node enrol --server URL --code CODE [--config FILE] [--Node:Id ID]
              trade a one-time enrolment code from the server's admin for this node's credential
          cctvedge-node discover [--timeout 3] [--address HOST[:PORT]] [--user USER] [--json]
              list the ONVIF cameras that answer a WS-Discovery probe on the LAN (or at one address); with --user
              (password in CCTVEDGE_ONVIF_PASSWORD) also their streams' RTSP addresses
          cctvedge-node bench motion --input FILE --width W --height H [--config FILE] [--fps 5] [--plugins DIR]
              run the motion plugin over a raw gray video and print the time per frame
          cctvedge-node --help | --version

        main options (any key of the config file can be given as --Section:Key VALUE or Section__Key=VALUE):
          --config FILE               the node's JSON config (see node/demo-node.json)
          --Node:Id ID                the node's stable id: lower-case letters, digits, '-' and '_'
          --Node:DataDirectory DIR    the outbox, recordings and state (default ./data)
          --Server:Address URL        the server's gRPC address, e.g. http://192.168.1.10:5081
          --Metrics:Port PORT         serve Prometheus metrics on this port (0: off)
          --Microcontroller:Port PORT take boards' readings on POST /input (0: off)
          --Hardware:Simulated true   simulated sensors, for a demo without a Pi
        """;
}
