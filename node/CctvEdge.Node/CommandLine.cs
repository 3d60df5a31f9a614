namespace CctvEdge.Node;

internal static class CommandLine
{
    /// <summary>Removes <c>name VALUE</c> (or <c>name=VALUE</c>) from the arguments and returns the value.</summary>
    public static (string? Value, string[] Remaining) TakeOption(string[] args, string name)
    {
        var rest = new List<string>(args.Length);
        string? value = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == name && i + 1 < args.Length)
            {
                value = args[++i];
            }
            else if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                value = args[i][(name.Length + 1)..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return (value, rest.ToArray());
    }
}
