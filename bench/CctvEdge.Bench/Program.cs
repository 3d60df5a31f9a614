using CctvEdge.Bench;

// cctvedge-bench uploads [--megabytes N] [--rounds N] | plugin-host [frames]
return args.FirstOrDefault() switch
{
    "uploads" => await UploadBench.RunAsync(args.Skip(1).ToArray()),
    "plugin-host" => await PluginHostBench.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: cctvedge-bench uploads [--megabytes 256] [--rounds 3] | plugin-host [frames=20000]");
    return 2;
}
