using CctvEdge.Grpc.Interop;

// server --port 0 [--cert server.crt --key server.key]   prints "LISTENING <port>"
// client --address http(s)://127.0.0.1:PORT --cases a,b [--ca ca.crt]   prints PASS/FAIL per case
// bench --address http://127.0.0.1:PORT [--seconds 3 --messages 2048]   prints one RESULT line (scripts/bench-grpc.sh)
// descriptors <file>   writes the grpc.testing FileDescriptorSet for the Python peer
var options = Arguments.Parse(args.Skip(1));
return args.FirstOrDefault() switch
{
    "server" => await InteropServer.RunAsync(options),
    "client" => await InteropClient.RunAsync(options),
    "bench" => await BenchClient.RunAsync(options),
    "descriptors" => Descriptors.Write(args[1]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: CctvEdge.Grpc.Interop server|client|descriptors ...");
    return 2;
}
