namespace CctvEdge.Grpc.Interop;

/// <summary>"--name value" pairs.</summary>
internal static class Arguments
{
    public static Dictionary<string, string> Parse(IEnumerable<string> args)
    {
        var list = args.ToList();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < list.Count; i += 2)
        {
            result[list[i].TrimStart('-')] = list[i + 1];
        }

        return result;
    }
}
