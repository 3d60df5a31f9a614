using System.Globalization;

namespace CctvEdge.Node.Uplink;

/// <summary>
/// Hands out result sequence numbers that keep growing across restarts. It reserves blocks on disk (write to a
/// temporary file, fsync, rename) and hands numbers out of memory, so a crash only skips the rest of a block and a
/// number is never reused; the server drops sequences it already holds, which is what makes delivery exactly once.
/// </summary>
internal sealed class SequenceCounter
{
    private const ulong BlockSize = 1000;
    private readonly string _path;
    private readonly object _gate = new();
    private ulong _next;
    private ulong _reservedUpTo;

    public SequenceCounter(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        _path = Path.Combine(stateDirectory, "sequence");
        var reserved = File.Exists(_path) && ulong.TryParse(File.ReadAllText(_path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
        _next = reserved + 1;
        _reservedUpTo = reserved;
    }

    /// <summary>The number <see cref="Next"/> will return.</summary>
    public ulong Peek()
    {
        lock (_gate)
        {
            return _next;
        }
    }

    public ulong Next()
    {
        lock (_gate)
        {
            if (_next > _reservedUpTo)
            {
                Reserve(_next + BlockSize - 1);
            }

            return _next++;
        }
    }

    /// <summary>Skips ahead so the next number is above <paramref name="sequence"/>.</summary>
    public void MoveBeyond(ulong sequence)
    {
        lock (_gate)
        {
            if (_next <= sequence)
            {
                _next = sequence + 1;
            }
        }
    }

    private void Reserve(ulong upTo)
    {
        var temporary = _path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(upTo.ToString(CultureInfo.InvariantCulture)));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
        _reservedUpTo = upTo;
    }
}
