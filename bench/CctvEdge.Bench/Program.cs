using CctvEdge.Bench;

// cctvedge-bench uploads [--megabytes N] [--rounds N] | plugin-host [frames] | detection [frames] | notifications [--events-per-minute N] [--seconds N] [--rules N] | sensors [--nodes N] [--sensors N] [--seconds N] | fleet [--nodes N] [--results-per-second R] [--seconds S] [--backlog B] [--database sqlite|postgres|both] [--reference-server-dll DLL] [--server URL [--server-database postgres:CONN|sqlite:PATH]]
return args.FirstOrDefault() switch
{
    "uploads" => await UploadBench.RunAsync(args.Skip(1).ToArray()),
    "plugin-host" => await PluginHostBench.RunAsync(args.Skip(1).ToArray()),
    "notifications" => await NotificationBench.RunAsync(args.Skip(1).ToArray()),
    "sensors" => await SensorBench.RunAsync(args.Skip(1).ToArray()),
    "fleet" => await CctvEdge.Bench.Fleet.FleetBench.RunAsync(args.Skip(1).ToArray()),
    "detection" => DetectionBench.Run(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: cctvedge-bench uploads [--megabytes 256] [--rounds 3] | plugin-host [frames=20000] | detection [frames=500] | notifications [--events-per-minute 1000] [--seconds 60] [--rules 20] | sensors [--nodes 50] [--sensors 10] [--seconds 60] | fleet [--nodes 50] [--results-per-second 20000] [--seconds 30] [--backlog 0] [--database both] [--reference-server-dll DLL] [--server URL [--server-database postgres:CONN|sqlite:PATH]]");
    return 2;
}
