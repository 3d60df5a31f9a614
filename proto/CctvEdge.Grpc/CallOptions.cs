namespace CctvEdge.Grpc;

/// <summary>Per-call options: headers, deadline, cancellation and write options.</summary>
public readonly struct CallOptions
{
    /// <summary>Creates call options.</summary>
    public CallOptions(Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default, WriteOptions? writeOptions = null)
    {
        Headers = headers;
        Deadline = deadline;
        CancellationToken = cancellationToken;
        WriteOptions = writeOptions;
    }

    /// <summary>
    /// Request headers to send. As in Grpc.Net.Client, a <c>grpc-internal-encoding-request</c> entry (e.g. <c>gzip</c>)
    /// asks for compressed request messages; it is not sent itself.
    /// </summary>
    public Metadata? Headers { get; }

    /// <summary>The UTC time by which the call must end; sent as <c>grpc-timeout</c>.</summary>
    public DateTime? Deadline { get; }

    /// <summary>Cancels the call.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>How request messages are written unless the request stream says otherwise.</summary>
    public WriteOptions? WriteOptions { get; }

    /// <summary>A copy with other headers.</summary>
    public CallOptions WithHeaders(Metadata headers) => new(headers, Deadline, CancellationToken, WriteOptions);

    /// <summary>A copy with another deadline.</summary>
    public CallOptions WithDeadline(DateTime deadline) => new(Headers, deadline, CancellationToken, WriteOptions);

    /// <summary>A copy with another cancellation token.</summary>
    public CallOptions WithCancellationToken(CancellationToken cancellationToken) => new(Headers, Deadline, cancellationToken, WriteOptions);

    /// <summary>A copy with other write options.</summary>
    public CallOptions WithWriteOptions(WriteOptions writeOptions) => new(Headers, Deadline, CancellationToken, writeOptions);
}
