using System.Globalization;

namespace CctvEdge.Server.Processors.Media;

/// <summary>Reads binary PPM (P6, 8 bits) images one after another from a stream, as ffmpeg's image2pipe writes them.</summary>
internal static class PpmReader
{
    /// <summary>The largest picture accepted (8K): a header saying more is a broken stream, not a picture.</summary>
    private const long MaxPixels = 7680L * 4320;

    /// <summary>The next image, or null at the end of the stream.</summary>
    public static async Task<(int Width, int Height, byte[] Pixels)?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var magic = await TokenAsync(stream, cancellationToken).ConfigureAwait(false);
        if (magic is null)
        {
            return null;
        }

        if (magic != "P6")
        {
            throw new InvalidDataException($"not a binary PPM image (starts with '{magic}')");
        }

        var width = Number(await TokenAsync(stream, cancellationToken).ConfigureAwait(false));
        var height = Number(await TokenAsync(stream, cancellationToken).ConfigureAwait(false));
        var max = Number(await TokenAsync(stream, cancellationToken).ConfigureAwait(false));
        if (width <= 0 || height <= 0 || (long)width * height > MaxPixels || max != 255)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"PPM image of {width}x{height} with maximum {max} is not an 8-bit picture this server reads"));
        }

        var pixels = new byte[width * height * 3];
        await stream.ReadExactlyAsync(pixels, cancellationToken).ConfigureAwait(false);
        return (width, height, pixels);
    }

    private static int Number(string? token) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new InvalidDataException($"PPM header value '{token}' is not a number");

    /// <summary>A header token; the single whitespace byte after it is consumed (after the last one the pixels start).</summary>
    private static async Task<string?> TokenAsync(Stream stream, CancellationToken cancellationToken)
    {
        var token = new List<byte>(8);
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                return token.Count == 0 ? null : throw new InvalidDataException("PPM header cut short");
            }

            if (one[0] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                if (token.Count > 0)
                {
                    return System.Text.Encoding.ASCII.GetString([.. token]);
                }

                continue;
            }

            if (token.Count == 16)
            {
                throw new InvalidDataException("PPM header token too long");
            }

            token.Add(one[0]);
        }
    }
}
