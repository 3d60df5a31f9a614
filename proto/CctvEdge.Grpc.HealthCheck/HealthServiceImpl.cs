using System.Threading.Channels;
using CctvEdge.Grpc;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CctvEdge.Grpc.HealthCheck;

/// <summary>
/// The health service's state and handlers, as Grpc.HealthCheck's class of the same name: set a status per service
/// name ("" is the whole server); Check answers it, Watch streams it and every change.
/// </summary>
public sealed class HealthServiceImpl : Health.HealthBase
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Channel<ServingStatus>>> _watchers = new(StringComparer.Ordinal);

    /// <summary>Sets the status of <paramref name="service"/> and tells its watchers.</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_gate)
        {
            _statuses[service] = status;
            Notify(service, status);
        }
    }

    /// <summary>Forgets <paramref name="service"/>; its watchers see SERVICE_UNKNOWN.</summary>
    public void ClearStatus(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_gate)
        {
            _statuses.Remove(service);
            Notify(service, ServingStatus.ServiceUnknown);
        }
    }

    /// <summary>Marks every service NOT_SERVING and ends every Watch: used when the server shuts down.</summary>
    public void Shutdown()
    {
        lock (_gate)
        {
            foreach (var service in _statuses.Keys.ToList())
            {
                _statuses[service] = ServingStatus.NotServing;
                Notify(service, ServingStatus.NotServing);
            }

            foreach (var channel in _watchers.Values.SelectMany(w => w))
            {
                channel.Writer.TryComplete();
            }
        }
    }

    /// <inheritdoc />
    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            return _statuses.TryGetValue(request.Service, out var status)
                ? Task.FromResult(new HealthCheckResponse { Status = status })
                : throw new RpcException(new Status(StatusCode.NotFound, $"Unknown service '{request.Service}'."));
        }
    }

    /// <inheritdoc />
    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        // Only the latest status matters: a watcher that reads slowly skips stale ones instead of queueing them.
        var updates = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            updates.Writer.TryWrite(_statuses.TryGetValue(request.Service, out var current) ? current : ServingStatus.ServiceUnknown);
            if (!_watchers.TryGetValue(request.Service, out var list))
            {
                _watchers[request.Service] = list = [];
            }

            list.Add(updates);
        }

        try
        {
            await foreach (var status in updates.Reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(new HealthCheckResponse { Status = status }).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers[request.Service].Remove(updates);
            }
        }
    }

    private void Notify(string service, ServingStatus status)
    {
        if (_watchers.TryGetValue(service, out var list))
        {
            foreach (var channel in list)
            {
                channel.Writer.TryWrite(status);
            }
        }
    }
}
