using System.Reflection;
using System.Text;

namespace CctvEdge.Plugins.Sdk.Tests;

/// <summary>
/// An assembly's public surface as sorted lines of text: every public or protected type and member with its
/// signature. A change to the surface changes the text, so it cannot happen unnoticed.
/// </summary>
internal static class PublicApi
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static IReadOnlyList<string> Of(Assembly assembly) =>
        [.. assembly.GetExportedTypes().SelectMany(Describe).Order(StringComparer.Ordinal)];

    private static IEnumerable<string> Describe(Type type)
    {
        var name = Name(type);
        var bases = new[] { type.BaseType }.Where(b => b is not null && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum)).Concat(type.GetInterfaces());
        yield return $"{Kind(type)} {name}{(bases.Any() ? " : " + string.Join(", ", bases.Select(b => Name(b!))) : "")}";
        foreach (var member in type.GetMembers(Declared).Where(Visible))
        {
            if (Member(member) is { } text)
            {
                yield return $"{name}.{text}";
            }
        }
    }

    private static string? Member(MemberInfo member) => member switch
    {
        ConstructorInfo c => $"ctor({Parameters(c)})",
        MethodInfo m when !m.IsSpecialName => $"{(m.IsStatic ? "static " : "")}{m.Name}{(m.IsGenericMethod ? "<" + string.Join(", ", m.GetGenericArguments().Select(Name)) + ">" : "")}({Parameters(m)}) -> {Name(m.ReturnType)}",
        PropertyInfo p => $"{p.Name} {{ {Accessors(p)} }} -> {Name(p.PropertyType)}",
        FieldInfo f => $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{f.Name} -> {Name(f.FieldType)}{(f.IsLiteral ? " = " + f.GetRawConstantValue() : "")}",
        EventInfo e => $"event {e.Name} -> {Name(e.EventHandlerType!)}",
        _ => null,
    };

    private static bool Visible(MemberInfo member) => member switch
    {
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => p.GetAccessors(nonPublic: true).Any(a => a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly),
        EventInfo e => e.AddMethod is { } add && (add.IsPublic || add.IsFamily),
        _ => false,
    };

    private static string Accessors(PropertyInfo p)
    {
        var parts = new List<string>();
        if (p.GetMethod is { } get && (get.IsPublic || get.IsFamily))
        {
            parts.Add("get;");
        }

        if (p.SetMethod is { } set && (set.IsPublic || set.IsFamily))
        {
            parts.Add(set.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit") ? "init;" : "set;");
        }

        return string.Join(" ", parts);
    }

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? (p.ParameterType.IsValueType ? "default" : "null")) : "")}"));

    private static string Kind(Type type) =>
        type.IsInterface ? "interface"
        : type.IsEnum ? "enum"
        : type.IsValueType ? (type.GetMethod("<Clone>$") is null && type.GetProperty("EqualityContract", Declared) is null && type.GetMethod("PrintMembers", Declared) is not null ? "record struct" : "struct")
        : type.GetMethod("<Clone>$") is not null ? (type.IsSealed ? "sealed record" : "record")
        : type.IsAbstract && type.IsSealed ? "static class"
        : $"{(type.IsSealed ? "sealed " : type.IsAbstract ? "abstract " : "")}class";

    private static string Name(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return Name(inner) + "?";
        }

        if (type.IsByRef)
        {
            return "out " + Name(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        var text = new StringBuilder(type.IsNested ? Name(type.DeclaringType!) + "." + type.Name : type.Namespace + "." + type.Name);
        if (type.IsGenericType)
        {
            text.Length -= type.Name.Length - type.Name.IndexOf('`', StringComparison.Ordinal);
            text.Append('<').AppendJoin(", ", type.GetGenericArguments().Select(Name)).Append('>');
        }

        return text.ToString();
    }
}
