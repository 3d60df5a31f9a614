namespace CctvEdge.Grpc;

/// <summary>Thrown when a call ends with a status other than OK; servers throw it to end a call with a status.</summary>
public class RpcException : Exception
{
    /// <summary>Creates an exception carrying <paramref name="status"/>.</summary>
    public RpcException(Status status)
        : this(status, Metadata.Empty, FormatMessage(status))
    {
    }

    /// <summary>Creates an exception carrying <paramref name="status"/> and <paramref name="trailers"/>.</summary>
    public RpcException(Status status, Metadata trailers)
        : this(status, trailers, FormatMessage(status))
    {
    }

    /// <summary>Creates an exception with its own message.</summary>
    public RpcException(Status status, Metadata trailers, string message)
        : base(message, status.DebugException)
    {
        Status = status;
        Trailers = trailers ?? throw new ArgumentNullException(nameof(trailers));
    }

    /// <summary>The call's status.</summary>
    public Status Status { get; }

    /// <summary>The status code, a shortcut for <c>Status.StatusCode</c>.</summary>
    public StatusCode StatusCode => Status.StatusCode;

    /// <summary>Trailing metadata sent with the status.</summary>
    public Metadata Trailers { get; }

    private static string FormatMessage(Status status) => status.ToString();
}
