using System.Text;

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
    public static ServerServiceDefinition Create(SleepProbe? sleep = null) =>
        ServerServiceDefinition.CreateBuilder()
            .AddMethod(Unary, async (request, context) =>
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
            })
            .AddMethod(Collect, async (requests, context) =>
            {
                var all = new List<string>();
                await foreach (var item in requests.ReadAllAsync(context.CancellationToken))
                {
                    all.Add(item);
                }

                return string.Join('+', all);
            })
            .AddMethod(Repeat, async (request, responses, context) =>
            {
                var parts = request.Split('*');
                var count = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                for (var i = 0; i < count; i++)
                {
                    await responses.WriteAsync($"{parts[0]}#{i}");
                }
            })
            .AddMethod(Chat, async (requests, responses, context) =>
            {
                await foreach (var item in requests.ReadAllAsync(context.CancellationToken))
                {
                    if (item == "stop")
                    {
                        throw new RpcException(new Status(StatusCode.Aborted, "stopped by request"));
                    }

                    await responses.WriteAsync("echo:" + item);
                }
            })
            .Build();
}

/// <summary>Tells a test when the "sleep" handler started and when its cancellation token fired.</summary>
internal sealed class SleepProbe
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
