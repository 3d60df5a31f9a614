using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace CctvEdge.Grpc.Generator;

/// <summary>
/// Reads the declarations of a .proto file (package, csharp_namespace, message and enum names, services) with a
/// small tokenizer. Field syntax is skipped: protoc has already checked the file when it compiled the messages.
/// </summary>
internal static class ProtoParser
{
    public static ProtoFile Parse(string path, string text)
    {
        var tokens = Tokenize(text);
        var package = string.Empty;
        string? csharpNamespace = null;
        var types = new List<string>();
        var services = new List<ProtoService>();
        var scopes = new Stack<string?>();
        try
        {
            for (var i = 0; i < tokens.Count; i++)
            {
                var token = tokens[i];
                switch (token)
                {
                    case "package" when scopes.Count == 0:
                        package = tokens[i + 1];
                        i++;
                        break;
                    case "option" when scopes.Count == 0 && tokens[i + 1] == "csharp_namespace":
                        csharpNamespace = Unquote(tokens[i + 3]);
                        i += 3;
                        break;
                    case "message" or "enum" when tokens[i + 2] == "{" && scopes.All(s => s is not null):
                        var name = string.Join(".", scopes.Reverse().Append(tokens[i + 1]));
                        types.Add(name);
                        scopes.Push(name);
                        i += 2;
                        break;
                    case "service" when scopes.Count == 0:
                        services.Add(ReadService(tokens, ref i));
                        break;
                    case "{":
                        // Option blocks, oneofs and the like: nested scopes that declare no types of their own.
                        scopes.Push(null);
                        break;
                    case "}":
                        scopes.Pop();
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException or FormatException)
        {
            return new ProtoFile(path, package, string.Empty, types, [], $"cannot read the file's declarations ({ex.Message})");
        }

        return new ProtoFile(path, package, csharpNamespace ?? DefaultNamespace(package), types, services, null);
    }

    /// <summary>protoc's default: each package segment in PascalCase, underscores dropped.</summary>
    public static string DefaultNamespace(string package)
    {
        var result = new StringBuilder();
        var capitalize = true;
        foreach (var c in package)
        {
            if (c == '_')
            {
                capitalize = true;
                continue;
            }

            result.Append(capitalize ? char.ToUpperInvariant(c) : c);
            capitalize = c == '.' || char.IsDigit(c);
        }

        return result.ToString();
    }

    private static ProtoService ReadService(List<string> tokens, ref int i)
    {
        var name = tokens[i + 1];
        Expect(tokens, i + 2, "{");
        i += 3;
        var methods = new List<ProtoRpc>();
        var depth = 1;
        while (depth > 0)
        {
            var token = tokens[i];
            if (token == "rpc" && depth == 1)
            {
                var rpcName = tokens[++i];
                Expect(tokens, ++i, "(");
                var clientStreaming = tokens[i + 1] == "stream";
                i += clientStreaming ? 2 : 1;
                var request = tokens[i];
                Expect(tokens, ++i, ")");
                Expect(tokens, ++i, "returns");
                Expect(tokens, ++i, "(");
                var serverStreaming = tokens[i + 1] == "stream";
                i += serverStreaming ? 2 : 1;
                var response = tokens[i];
                Expect(tokens, ++i, ")");
                methods.Add(new ProtoRpc(rpcName, request, clientStreaming, response, serverStreaming));
            }
            else if (token == "{")
            {
                depth++;
            }
            else if (token == "}")
            {
                depth--;
            }

            i++;
        }

        i--;
        return new ProtoService(name, methods);
    }

    private static void Expect(List<string> tokens, int index, string expected)
    {
        if (tokens[index] != expected)
        {
            throw new FormatException($"expected '{expected}' but found '{tokens[index]}'");
        }
    }

    private static string Unquote(string token) =>
        token.Length >= 2 && token[0] == '"' ? token.Substring(1, token.Length - 2) : throw new FormatException("expected a string");

    /// <summary>Words (dotted names included), quoted strings and single punctuation; comments dropped.</summary>
    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
            }
            else if (c is '"' or '\'')
            {
                var start = i++;
                while (i < text.Length && text[i] != c)
                {
                    i += text[i] == '\\' ? 2 : 1;
                }

                i++;
                tokens.Add("\"" + text.Substring(start + 1, Math.Max(0, Math.Min(i, text.Length) - start - 2)) + "\"");
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '.')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(text.Substring(start, i - start));
            }
            else
            {
                tokens.Add(c.ToString());
                i++;
            }
        }

        return tokens;
    }
}
