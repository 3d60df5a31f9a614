using System.Security.Cryptography;
using System.Threading.Channels;
using CctvEdge.Storage;
using Microsoft.Win32.SafeHandles;

namespace CctvEdge.Server.Sessions;

/// <summary>
/// An upload's part file. Verified chunks are appended by a writer of its own (through a short queue), which writes
/// them at their offset and feeds the whole-file sha256, so disk writes and hashing overlap receiving the next chunk.
/// Where the filesystem allows, chunks are gathered into an aligned buffer and written with O_DIRECT: a clip is read
/// rarely, and skipping the page cache saves most of the CPU a write costs (see <see cref="DirectIo"/>).
/// <see cref="FinishAsync"/> writes what is queued and fsyncs: whatever arrived stays for a resumed upload.
/// </summary>
internal sealed class PartFile : IAsyncDisposable
{
    private const long FlushEvery = 32L * 1024 * 1024;
    private const int StageSize = 4 * 1024 * 1024;
    private readonly SafeFileHandle _handle;
    private readonly SafeFileHandle? _direct;
    private readonly Memory<byte> _stage;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Channel<ReadOnlyMemory<byte>> _queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
    private readonly Task _writer;
    private long _written;
    private long _flushed;
    private int _staged;
    private IOException? _failure;

    private PartFile(SafeFileHandle handle, SafeFileHandle? direct, long length)
    {
        _handle = handle;
        _direct = direct;
        _stage = direct is null ? Memory<byte>.Empty : DirectIo.AllocateAlignedBuffer(StageSize);
        Held = Received = _written = length;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The bytes the file held when opened.</summary>
    public long Held { get; }

    /// <summary>The bytes held plus those accepted since: where the next chunk must start.</summary>
    public long Received { get; private set; }

    /// <summary>Opens (or creates) the part file and hashes what it already holds.</summary>
    public static async Task<PartFile> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var length = RandomAccess.GetLength(handle);
        // Unbuffered writes need an aligned start; an unfinished part file ends on a 512 KiB chunk, so this is usual.
        var direct = length % DirectIo.Alignment == 0 ? DirectIo.TryOpenForWriting(path) : null;
        var part = new PartFile(handle, direct, length);
        try
        {
            var buffer = new byte[1 << 20];
            for (long offset = 0; offset < length;)
            {
                var read = await RandomAccess.ReadAsync(handle, buffer, offset, cancellationToken).ConfigureAwait(false);
                part._hash.AppendData(buffer, 0, read);
                offset += read;
            }

            return part;
        }
        catch
        {
            await part.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Queues a verified chunk; throws the writer's failure (a full disk) if it had one.</summary>
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        await _queue.Writer.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        Received += data.Length;
    }

    /// <summary>Writes everything queued, fsyncs, and returns the file's length; throws the writer's failure if any.</summary>
    public async Task<long> FinishAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        RandomAccess.FlushToDisk(_handle);
        ThrowIfFailed();
        return _written;
    }

    /// <summary>The sha256 of everything written.</summary>
    public byte[] Sha256() => _hash.GetHashAndReset();

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        _handle.Dispose();
        _direct?.Dispose();
        _hash.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        await foreach (var data in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (_failure is null && TryWrite(() => Append(data.Span)))
            {
                _hash.AppendData(data.Span);
                if (_direct is not null && !_queue.Reader.TryPeek(out _))
                {
                    // Nothing else waiting (a slow link): write now, so a crash loses no more than the unaligned rest.
                    TryWrite(WriteAlignedStage);
                }
            }
        }

        // The file's last few bytes cannot be written unbuffered (O_DIRECT needs whole blocks).
        if (_direct is not null && _failure is null && TryWrite(WriteAlignedStage))
        {
            TryWrite(() => WriteBuffered(_stage.Span[.._staged]));
        }
    }

    /// <summary>Runs a write; a failure (a full disk) is kept for the receiver and the file cut back to what was whole.</summary>
    private bool TryWrite(Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (IOException ex)
        {
            // Cut off whatever part of the write made it: the file keeps only bytes known to be whole (all CRC-verified).
            RandomAccess.SetLength(_handle, _written);
            _failure = ex;
            return false;
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_direct is null)
        {
            WriteBuffered(data);
            return;
        }

        while (!data.IsEmpty)
        {
            var take = Math.Min(data.Length, _stage.Length - _staged);
            data[..take].CopyTo(_stage.Span[_staged..]);
            _staged += take;
            data = data[take..];
            if (_staged == _stage.Length)
            {
                WriteAlignedStage();
            }
        }
    }

    private void WriteBuffered(ReadOnlySpan<byte> data)
    {
        // Synchronous positional writes: on Linux an "async" file write is only a thread-pool hop.
        RandomAccess.Write(_handle, data, _written);
        _written += data.Length;
        if (_written - _flushed >= FlushEvery)
        {
            // Flush as we go: the disk works while the next chunks arrive, and the final fsync has little left.
            RandomAccess.FlushToDisk(_handle);
            _flushed = _written;
        }
    }

    /// <summary>
    /// Writes the gathered whole blocks unbuffered and keeps the unaligned rest at the front of the buffer, so every
    /// unbuffered write starts at an aligned offset of the file.
    /// </summary>
    private void WriteAlignedStage()
    {
        var aligned = _staged - (_staged % DirectIo.Alignment);
        if (aligned == 0)
        {
            return;
        }

        RandomAccess.Write(_direct!, _stage.Span[..aligned], _written);
        _written += aligned;
        _stage.Span[aligned.._staged].CopyTo(_stage.Span);
        _staged -= aligned;
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw failure;
        }
    }
}
