using CctvEdge.Bench;

// cctvedge-bench uploads [--megabytes N] [--rounds N]
return args.FirstOrDefault() switch
{
    "uploads" => await UploadBench.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: cctvedge-bench uploads [--megabytes 256] [--rounds 3]");
    return 2;
}
