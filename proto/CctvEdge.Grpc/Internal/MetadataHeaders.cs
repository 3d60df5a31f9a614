using System.Net.Http.Headers;

namespace CctvEdge.Grpc.Internal;

/// <summary>Converts between <see cref="Metadata"/> and HTTP headers (binary values as base64).</summary>
internal static class MetadataHeaders
{
    public static void AddTo(HttpHeaders headers, Metadata? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var entry in metadata)
        {
            if (GrpcProtocol.IsReservedHeader(entry.Key))
            {
                continue;
            }

            headers.TryAddWithoutValidation(entry.Key, ToHeaderValue(entry));
        }
    }

    public static string ToHeaderValue(Metadata.Entry entry) =>
        // The spec asks senders to emit unpadded base64 and receivers to accept both.
        entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes).TrimEnd('=') : entry.Value;

    public static Metadata FromHeaders(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers)
        {
            if (GrpcProtocol.IsReservedHeader(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                TryAdd(metadata, name, value);
            }
        }

        return metadata;
    }

    /// <summary>Adds one header as an entry; a malformed one is skipped rather than failing the call.</summary>
    public static void TryAdd(Metadata metadata, string name, string value)
    {
        try
        {
            if (Metadata.Entry.IsBinaryKey(name.ToLowerInvariant()))
            {
                // One header may carry several comma-separated binary values.
                foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    metadata.Add(name, DecodeBase64(part));
                }
            }
            else
            {
                metadata.Add(name, value);
            }
        }
        catch (ArgumentException)
        {
        }
        catch (FormatException)
        {
        }
    }

    private static byte[] DecodeBase64(string value)
    {
        var padded = (value.Length % 4) switch
        {
            2 => value + "==",
            3 => value + "=",
            _ => value,
        };
        return Convert.FromBase64String(padded);
    }
}
