using System.Text;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace CctvEdge.Grpc.Tests;

/// <summary>A service with string messages, so transport tests depend on no serializer but UTF-8.</summary>
internal static class EchoService
{
    public const string Name = "test.Echo";

    private static readonly Marshaller<string> Utf8 = Marshallers.Create<string>(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);

    public static readonly Method<string, string> Unary = new(MethodType.Unary, Name, "Unary", Utf8, Utf8);
    public static readonly Method<string, string> Collect = new(MethodType.ClientStreaming, Name, "Collect", Utf8, Utf8);
    public static readonly Method<string, string> Repeat = new(MethodType.ServerStreaming, Name, "Repeat", Utf8, Utf8);
    public static readonly Method<string, string> Chat = new(MethodType.DuplexStreaming, Name, "Chat", Utf8, Utf8);

    /// <summary>
    /// Unary echoes; "fail:CODE:detail" ends with that status; "sleep" waits for cancellation; "header:k=v" answers
    /// with a response header and trailer. Collect joins requests with '+'. Repeat sends "text#i" N times for "text*N".
    /// Chat answers each message with "echo:" + message until the client half-closes.
    /// </summary>
    public static EchoHandlers Create(SleepProbe? sleep = null) => new(sleep);
}

/// <summary>
/// The echo service's handlers. Grpc.AspNetCore binds them through <see cref="EchoMethodProvider"/>, its extension point
/// for services that are not generated from a .proto (as protobuf-net.Grpc uses it).
/// </summary>
internal sealed class EchoHandlers(SleepProbe? sleep)
{
    public async Task<string> Unary(string request, ServerCallContext context)
    {
        if (request.StartsWith("fail:", StringComparison.Ordinal))
        {
            var parts = request.Split(':', 3);
            throw new RpcException(new Status((StatusCode)int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2]));
        }

        if (request == "sleep")
        {
            sleep?.Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                sleep?.Cancelled.TrySetResult();
                throw;
            }
        }

        if (request.StartsWith("header:", StringComparison.Ordinal))
        {
            var kv = request["header:".Length..].Split('=', 2);
            await context.WriteResponseHeadersAsync(new Metadata { { kv[0], kv[1] } });
            context.ResponseTrailers.Add("trailer-" + kv[0], kv[1]);
            var echoedBinary = context.RequestHeaders.GetValueBytes("token-bin");
            return echoedBinary is null ? request : request + "|" + Convert.ToHexString(echoedBinary);
        }

        return request;
    }

    public async Task<string> Collect(IAsyncStreamReader<string> requests, ServerCallContext context)
    {
        var all = new List<string>();
        await foreach (var item in requests.ReadAllAsync(context.CancellationToken))
        {
            all.Add(item);
        }

        return string.Join('+', all);
    }

    public async Task Repeat(string request, IServerStreamWriter<string> responses, ServerCallContext context)
    {
        var parts = request.Split('*');
        var count = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < count; i++)
        {
            await responses.WriteAsync($"{parts[0]}#{i}");
        }
    }

    public async Task Chat(IAsyncStreamReader<string> requests, IServerStreamWriter<string> responses, ServerCallContext context)
    {
        await foreach (var item in requests.ReadAllAsync(context.CancellationToken))
        {
            if (item == "stop")
            {
                throw new RpcException(new Status(StatusCode.Aborted, "stopped by request"));
            }

            await responses.WriteAsync("echo:" + item);
        }
    }
}

/// <summary>Binds <see cref="EchoHandlers"/> to the echo methods, with their UTF-8 marshallers.</summary>
internal sealed class EchoMethodProvider : IServiceMethodProvider<EchoHandlers>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<EchoHandlers> context)
    {
        context.AddUnaryMethod(EchoService.Unary, [], (service, request, call) => service.Unary(request, call));
        context.AddClientStreamingMethod(EchoService.Collect, [], (service, requests, call) => service.Collect(requests, call));
        context.AddServerStreamingMethod(EchoService.Repeat, [], (service, request, responses, call) => service.Repeat(request, responses, call));
        context.AddDuplexStreamingMethod(EchoService.Chat, [], (service, requests, responses, call) => service.Chat(requests, responses, call));
    }
}

/// <summary>Tells a test when the "sleep" handler started and when its cancellation token fired.</summary>
internal sealed class SleepProbe
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
