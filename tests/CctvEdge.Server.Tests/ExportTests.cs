using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Server.Export;
using CctvEdge.Testing;
using CctvEdge.Web.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

public sealed class ExportTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _usb = new("cctvedge-usb");
    private InProcessServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync("--Server:ExportDirectories:0", _usb.Path);
        await ClipFixtures.StoreAsync(_server, "before", T0.AddMinutes(-5));
        await ClipFixtures.StoreAsync(_server, "first", T0.AddSeconds(-5), size: 3000);
        await ClipFixtures.StoreAsync(_server, "second", T0.AddSeconds(5), size: 4000);
        await ClipFixtures.StoreAsync(_server, "other-camera", T0, camera: "gate");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _usb.Dispose();
    }

    [Fact]
    public async Task ExportZip_CameraAndRange_ClipsOverlappingWithVerifiedManifestAndChecksums()
    {
        var url = new ExportSelection([new CameraKey("barn", "yard")], T0, T0.AddMinutes(1)).ZipUrl;

        using var response = await _server.Http.GetAsync(url).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal(["barn/yard/2026-11-21/first.mp4", "barn/yard/2026-11-21/second.mp4", "manifest.json", "SHA256SUMS"], zip.Entries.Select(e => e.FullName));
        var sums = ReadText(zip, "SHA256SUMS").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split("  ")).ToDictionary(p => p[1], p => p[0]);
        foreach (var entry in zip.Entries.Where(e => e.Name.EndsWith(".mp4", StringComparison.Ordinal)))
        {
            using var stream = entry.Open();
            Assert.Equal(sums[entry.FullName], Convert.ToHexStringLower(SHA256.HashData(stream)));
        }

        using var manifest = JsonDocument.Parse(ReadText(zip, "manifest.json"));
        Assert.All(manifest.RootElement.GetProperty("clips").EnumerateArray(), c => Assert.True(c.GetProperty("verified").GetBoolean()));
    }

    [Theory]
    [InlineData("api/export.zip?cameras=barn.yard&from=yesterday&to=2026-11-21T07:00:00Z")]
    [InlineData("api/export.zip?cameras=barn.yard&from=2026-11-21T07:00:00Z&to=2026-11-21T06:00:00Z")]
    [InlineData("api/export.zip?cameras=..%2F..%2Fetc&from=2026-11-21T06:00:00Z&to=2026-11-21T07:00:00Z")]
    public async Task ExportZip_BadSelection_BadRequest(string url)
    {
        using var response = await _server.Http.GetAsync(url).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task CopyToFolder_AllowListedFolder_CopiedVerifiedWithManifest()
    {
        var folders = _server.Services.GetRequiredService<FolderExports>();

        var started = folders.Start(new ExportSelection([], T0, T0.AddMinutes(1)), 0, "night-of-21st");
        await folders.Completion(started.Id)!.WaitAsync(Timeout);

        ExportProgress? last = null;
        using (folders.Watch(started.Id, p => last = p))
        {
            Assert.Equal((ExportState.Done, 3, 3), (last!.State, last.FilesCopied, last.FilesVerified));
        }

        var folder = Path.Combine(_usb.Path, "night-of-21st");
        Assert.True(File.Exists(Path.Combine(folder, "barn", "gate", "2026-11-21", "other-camera.mp4")));
        var sums = await File.ReadAllLinesAsync(Path.Combine(folder, "SHA256SUMS"));
        Assert.Equal(3, sums.Length);
        Assert.All(sums, line =>
        {
            var parts = line.Split("  ");
            Assert.Equal(parts[0], Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, parts[1])))));
        });
    }

    [Theory]
    [InlineData(0, "../outside")]
    [InlineData(0, "a/b")]
    [InlineData(0, ".hidden")]
    [InlineData(0, "")]
    [InlineData(1, "fine")]
    [InlineData(-1, "fine")]
    public void CopyToFolder_HostileNameOrUnknownFolder_Refused(int target, string name)
    {
        var folders = _server.Services.GetRequiredService<FolderExports>();

        Assert.Throws<ArgumentException>(() => folders.Start(new ExportSelection([], T0, T0.AddMinutes(1)), target, name));
        Assert.Empty(Directory.GetFileSystemEntries(_usb.Path));
    }

    [Fact]
    public void CopyToFolder_FolderExists_Refused()
    {
        Directory.CreateDirectory(Path.Combine(_usb.Path, "taken"));

        var ex = Assert.Throws<ArgumentException>(() => _server.Services.GetRequiredService<FolderExports>().Start(new ExportSelection([], T0, T0.AddMinutes(1)), 0, "taken"));

        Assert.Contains("exists already", ex.Message, StringComparison.Ordinal);
    }

    private static string ReadText(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
