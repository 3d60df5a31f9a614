namespace CctvEdge.Server.Storage.Objects;

/// <summary>
/// Where clip bytes live once verified: files under the clips directory (the default) or objects in an S3 bucket.
/// Shaped like the S3 API (put, ranged get, head, delete, list) so the filesystem and the bucket answer the same
/// questions; a key is the clip row's relative path (<c>node/camera/yyyy-MM-dd/clip.mp4</c>, '/'-separated).
/// Uploads still grow as part files on the local clip disk: resuming and hashing stay local, only the put goes out.
/// </summary>
internal interface IClipObjectStore
{
    /// <summary>For messages: the clips directory, or <c>s3://bucket/prefix</c>. Never holds a secret.</summary>
    string Location { get; }

    /// <summary>
    /// True when the objects are files on the clip disk: deleting them frees that disk (retention's floor), and a file
    /// can be served as it is (<see cref="LocalPath"/>).
    /// </summary>
    bool IsOnClipDisk { get; }

    /// <summary>The object's file when <see cref="IsOnClipDisk"/>; null for a remote store.</summary>
    string? LocalPath(string key);

    /// <summary>
    /// Stores a verified, fsynced part file under <paramref name="key"/> and takes it: the file is moved into place or
    /// uploaded and then deleted. Returns only once the store holds exactly those bytes.
    /// </summary>
    Task PutAsync(string key, string partPath, CancellationToken cancellationToken);

    /// <summary>
    /// The object's bytes from <paramref name="offset"/>; with <paramref name="length"/> a remote store fetches only
    /// that range, while a file stream may run on past it, so callers read at most <paramref name="length"/> bytes.
    /// </summary>
    Task<Stream> GetAsync(string key, long offset, long? length, CancellationToken cancellationToken);

    /// <summary>The object's size, or null when there is no such object.</summary>
    Task<long?> HeadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes the object; deleting one that is not there is not an error (as in S3).</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every clip object's key (uploads in progress are not objects yet).</summary>
    IAsyncEnumerable<string> ListAsync(CancellationToken cancellationToken);
}
