using System.Security.Cryptography;
using CctvEdge.Harness;
using CctvEdge.Server.Sessions;
using CctvEdge.Storage;
using CctvEdge.Testing;

namespace CctvEdge.Server.Tests;

public sealed class PartFileTests
{
    [Fact]
    public async Task Finish_ChunksAcrossSeveralStages_FileAndHashMatchTheBytesSent()
    {
        using var temp = new TempDirectory("partfile");
        var path = temp.Combine("clip.part");
        // 9.5 MiB plus an odd tail: more than two staging buffers, and an end that O_DIRECT cannot write.
        var bytes = RandomNumberGenerator.GetBytes((19 * 512 * 1024) + 1234);

        var length = await AppendAsync(path, bytes, chunkSize: 512 * 1024);

        Assert.Equal(bytes.Length, length);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Open_UnalignedPartFile_ResumesAndTheHashCoversTheWholeFile()
    {
        using var temp = new TempDirectory("partfile");
        var path = temp.Combine("clip.part");
        var bytes = RandomNumberGenerator.GetBytes(6 * 1024 * 1024);
        // An earlier call left 1000 bytes: not a multiple of the O_DIRECT alignment, so this call writes buffered.
        await File.WriteAllBytesAsync(path, bytes[..1000]);

        await using (var part = await PartFile.OpenAsync(path, CancellationToken.None))
        {
            Assert.Equal(1000, part.Held);
            for (var offset = 1000; offset < bytes.Length; offset += 300_000)
            {
                await part.AppendAsync(bytes.AsMemory(offset, Math.Min(300_000, bytes.Length - offset)), CancellationToken.None);
            }

            Assert.Equal(bytes.Length, await part.FinishAsync());
            Assert.Equal(SHA256.HashData(bytes), part.Sha256());
        }

        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Open_AlignedPartFile_ResumesAfterAnInterruptedCall()
    {
        using var temp = new TempDirectory("partfile");
        var path = temp.Combine("clip.part");
        var bytes = RandomNumberGenerator.GetBytes((5 * 1024 * 1024) + 77);
        var first = bytes[..(3 * 512 * 1024)];

        // The first call ends after three chunks (less than one staging buffer): they must still reach the file.
        Assert.Equal(first.Length, await AppendAsync(path, first, chunkSize: 512 * 1024));
        await using var part = await PartFile.OpenAsync(path, CancellationToken.None);
        Assert.Equal(first.Length, part.Held);
        await part.AppendAsync(bytes.AsMemory(first.Length), CancellationToken.None);

        Assert.Equal(bytes.Length, await part.FinishAsync());
        Assert.Equal(SHA256.HashData(bytes), part.Sha256());
        await part.DisposeAsync();
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public void TryOpenForWriting_DiskFilesystem_GivesAnUnbufferedHandleThatWritesAlignedBlocks()
    {
        using var temp = new TempDirectory("partfile");
        var path = temp.Combine("direct.bin");
        File.WriteAllBytes(path, []);
        var buffer = DirectIo.AllocateAlignedBuffer(2 * DirectIo.Alignment);
        RandomNumberGenerator.Fill(buffer.Span);

        using (var handle = DirectIo.TryOpenForWriting(path))
        {
            // The temp directory is on the machine's disk filesystem (Linux, ext4), which supports O_DIRECT.
            Assert.NotNull(handle);
            RandomAccess.Write(handle, buffer.Span, 0);
        }

        Assert.Equal(buffer.ToArray(), File.ReadAllBytes(path));
    }

    private static async Task<long> AppendAsync(string path, byte[] bytes, int chunkSize)
    {
        await using var part = await PartFile.OpenAsync(path, CancellationToken.None);
        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            await part.AppendAsync(bytes.AsMemory(offset, Math.Min(chunkSize, bytes.Length - offset)), CancellationToken.None);
        }

        var length = await part.FinishAsync();
        Assert.Equal(SHA256.HashData(bytes), part.Sha256());
        return length;
    }
}
