using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CctvEdge.Storage;

/// <summary>
/// Writes that bypass the page cache (Linux O_DIRECT). A large file written once and read rarely (a clip) costs the
/// CPU a copy into the page cache when written the ordinary way; measured on a 2-core VM that copy is ~1.2 s of system
/// time per GiB, against ~0.2 s with O_DIRECT, and that CPU is what a small server also needs for receiving and hashing.
/// O_DIRECT requires buffers, lengths and offsets aligned to <see cref="Alignment"/>; .NET's FileOptions cannot ask
/// for it, so the handle comes from libc.
/// </summary>
public static partial class DirectIo
{
    /// <summary>The alignment that satisfies every common block device (4 KiB sectors and pages).</summary>
    public const int Alignment = 4096;

    private const int WriteOnly = 0x1;
    private const int CloseOnExec = 0x80000;

    /// <summary>
    /// Opens an existing file for unbuffered writes, or returns null where that is not possible (not Linux, an
    /// architecture whose flag value is not known here, or a filesystem that refuses O_DIRECT, such as older tmpfs);
    /// the caller then writes the ordinary way.
    /// </summary>
    public static SafeFileHandle? TryOpenForWriting(string path)
    {
        if (!OperatingSystem.IsLinux() || DirectFlag() is not { } direct)
        {
            return null;
        }

        var fd = Open(path, WriteOnly | CloseOnExec | direct);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// A pinned buffer of <paramref name="length"/> bytes whose start is aligned for O_DIRECT (managed memory, so no
    /// unsafe code and no manual free).
    /// </summary>
    public static Memory<byte> AllocateAlignedBuffer(int length)
    {
        var array = GC.AllocateUninitializedArray<byte>(length + Alignment, pinned: true);
        var address = Marshal.UnsafeAddrOfPinnedArrayElement(array, 0);
        var skip = (int)((Alignment - (address % Alignment)) % Alignment);
        return array.AsMemory(skip, length);
    }

    /// <summary>O_DIRECT differs by architecture: 0o40000 on x86, 0o200000 on ARM (Raspberry Pi).</summary>
    private static int? DirectFlag() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x4000,
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        _ => null,
    };

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
