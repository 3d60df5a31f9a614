namespace CctvEdge.Server.Maps;

/// <summary>
/// Checks an uploaded site plan. The type is read from the first bytes, not from the name or Content-Type a browser
/// or script claims, so nothing but a PNG or a JPEG is ever served back from <c>/api/maps/{id}/image</c>.
/// </summary>
internal static class PlanImage
{
    public const int MaxBytes = CctvEdge.Web.Services.SiteMapLimits.MaxPlanBytes;

    private static ReadOnlySpan<byte> Png => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> Jpeg => [0xFF, 0xD8, 0xFF];

    /// <summary>image/png or image/jpeg from the magic bytes; null for anything else.</summary>
    public static string? ContentType(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith(Png) ? "image/png" : bytes.StartsWith(Jpeg) ? "image/jpeg" : null;

    /// <summary>Reads at most <see cref="MaxBytes"/> + 1 bytes: enough to know a body is too large without buffering all of it.</summary>
    public static async Task<(byte[] Bytes, bool TooLarge)> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, MaxBytes + 1 - buffer.Length)), cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                return ([], true);
            }
        }

        return (buffer.ToArray(), false);
    }
}
