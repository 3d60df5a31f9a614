using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace CctvEdge.Grpc.Generator;

/// <summary>
/// Generates the typed gRPC layer for every service in the project's <c>.proto</c> AdditionalFiles. A project gets
/// it by listing its protos once: <c>&lt;AdditionalFiles Include="@(Protobuf)" /&gt;</c>; a new service in a new
/// file then needs no hand work.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class TypedLayerGenerator : IIncrementalGenerator
{
    private static readonly DiagnosticDescriptor Unreadable = new(
        "CEGRPC001", "Unreadable .proto file", "{0}: {1}", "CctvEdge.Grpc.Generator", DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly DiagnosticDescriptor UnknownType = new(
        "CEGRPC002", "Unknown message type", "{0}: rpc {1} uses '{2}', which no .proto file of this project declares", "CctvEdge.Grpc.Generator", DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>google/protobuf well-known types, which protoc ships rather than the project.</summary>
    private static readonly string[] WellKnownTypes = ["Empty", "Timestamp", "Duration", "Any", "Struct", "Value", "ListValue", "FieldMask", "StringValue", "BytesValue", "BoolValue", "Int32Value", "Int64Value", "UInt32Value", "UInt64Value", "FloatValue", "DoubleValue"];

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Where(static f => f.Path.EndsWith(".proto", System.StringComparison.OrdinalIgnoreCase))
            .Select(static (f, ct) => ProtoParser.Parse(f.Path, f.GetText(ct)?.ToString() ?? string.Empty))
            .Collect();
        context.RegisterSourceOutput(files, static (output, all) => Generate(output, all));
    }

    private static void Generate(SourceProductionContext output, ImmutableArray<ProtoFile> files)
    {
        var types = new Dictionary<string, string>();
        foreach (var name in WellKnownTypes)
        {
            types["google.protobuf." + name] = "global::Google.Protobuf.WellKnownTypes." + name;
        }

        foreach (var file in files)
        {
            foreach (var type in file.Types)
            {
                var protoName = string.IsNullOrEmpty(file.Package) ? type : file.Package + "." + type;
                // protoc nests a message's own messages in a "Types" class.
                types[protoName] = "global::" + file.CSharpNamespace + "." + type.Replace(".", ".Types.");
            }
        }

        foreach (var file in files.OrderBy(f => f.Path, System.StringComparer.Ordinal))
        {
            if (file.Error is not null)
            {
                output.ReportDiagnostic(Diagnostic.Create(Unreadable, Location.None, file.Path, file.Error));
                continue;
            }

            if (file.Services.Count == 0)
            {
                continue;
            }

            var complete = true;
            string? Resolve(string reference) => Lookup(types, file.Package, reference);
            foreach (var rpc in file.Services.SelectMany(s => s.Methods))
            {
                foreach (var reference in new[] { rpc.RequestType, rpc.ResponseType }.Where(r => Resolve(r) is null))
                {
                    output.ReportDiagnostic(Diagnostic.Create(UnknownType, Location.None, file.Path, rpc.Name, reference));
                    complete = false;
                }
            }

            if (complete)
            {
                var hint = System.IO.Path.GetFileNameWithoutExtension(file.Path) + "_" + file.Package.Replace('.', '_') + ".Grpc.g.cs";
                output.AddSource(hint, SourceText.From(TypedLayerEmitter.Emit(file, Resolve), System.Text.Encoding.UTF8));
            }
        }
    }

    /// <summary>Protobuf's name lookup: a leading dot is absolute, otherwise the innermost enclosing package wins.</summary>
    private static string? Lookup(Dictionary<string, string> types, string package, string reference)
    {
        if (reference.StartsWith(".", System.StringComparison.Ordinal))
        {
            return types.TryGetValue(reference.Substring(1), out var absolute) ? absolute : null;
        }

        var scope = package;
        while (true)
        {
            var candidate = scope.Length == 0 ? reference : scope + "." + reference;
            if (types.TryGetValue(candidate, out var found))
            {
                return found;
            }

            if (scope.Length == 0)
            {
                return null;
            }

            var dot = scope.LastIndexOf('.');
            scope = dot < 0 ? string.Empty : scope.Substring(0, dot);
        }
    }
}
