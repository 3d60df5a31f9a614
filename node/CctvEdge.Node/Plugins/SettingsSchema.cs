using System.Collections;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Plugins;

/// <summary>
/// Describes a plugin's settings class (<see cref="PluginSettingsAttribute"/>) as JSON Schema, so the server can show
/// a form: property names as the config binder reads them, types, defaults from a new instance, and the ranges and
/// descriptions of the usual attributes. Plain reflection on purpose: serializer and validator caches would keep the
/// plugin's types, and with them its unloadable context, alive.
/// </summary>
internal static class SettingsSchema
{
    private const int MaxDepth = 4;

    /// <summary>The schema of <paramref name="entryType"/>'s declared settings, or "" when it declares none.</summary>
    public static string For(Type entryType)
    {
        if (entryType.GetCustomAttribute<PluginSettingsAttribute>() is not { } declared)
        {
            return "";
        }

        var schema = Describe(declared.SettingsType, Defaults(declared.SettingsType), 0);
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        schema["title"] = declared.SettingsType.Name;
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static JsonObject Describe(Type type, object? defaults, int depth)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (Simple(underlying) is { } simple)
        {
            return simple;
        }

        // Collections do not count towards the depth: each level peels one off the type, so they cannot recurse by
        // themselves, and a polygon's points (double[][] in a list of zones) would otherwise lose their item type.
        if (underlying.IsArray || (underlying.IsGenericType && typeof(IEnumerable).IsAssignableFrom(underlying)))
        {
            var arguments = underlying.IsArray ? [underlying.GetElementType()!] : underlying.GetGenericArguments();
            return arguments.Length == 2
                ? new JsonObject { ["type"] = "object", ["additionalProperties"] = Describe(arguments[1], null, depth) }
                : new JsonObject { ["type"] = "array", ["items"] = Describe(arguments[0], null, depth) };
        }

        if (depth >= MaxDepth)
        {
            return [];
        }

        var properties = new JsonObject();
        var required = new JsonArray();
        defaults ??= Defaults(underlying);
        foreach (var property in underlying.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
        {
            var value = defaults is null ? null : property.GetValue(defaults);
            var described = Describe(property.PropertyType, value, depth + 1);
            Annotate(described, property, value);
            properties[property.Name] = described;
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(property.Name);
            }
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties, ["additionalProperties"] = false };
        if (required.Count > 0)
        {
            schema["required"] = required;
        }

        return schema;
    }

    private static JsonObject? Simple(Type type)
    {
        if (type.IsEnum)
        {
            return new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. Enum.GetNames(type).Select(n => (JsonNode)n)]) };
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => new JsonObject { ["type"] = "boolean" },
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64 => new JsonObject { ["type"] = "integer" },
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => new JsonObject { ["type"] = "number" },
            TypeCode.String or TypeCode.Char => new JsonObject { ["type"] = "string" },
            TypeCode.DateTime => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            _ when type == typeof(TimeSpan) => new JsonObject { ["type"] = "string", ["format"] = "duration" },
            _ when type == typeof(TimeOnly) => new JsonObject { ["type"] = "string", ["format"] = "time" },
            _ when type == typeof(Uri) => new JsonObject { ["type"] = "string", ["format"] = "uri" },
            _ => null,
        };
    }

    private static void Annotate(JsonObject schema, PropertyInfo property, object? value)
    {
        if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Description;
        }

        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            schema["minimum"] = JsonValue.Create(Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture));
            schema["maximum"] = JsonValue.Create(Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture));
        }

        if (property.GetCustomAttribute<StringLengthAttribute>() is { } length)
        {
            schema["minLength"] = length.MinimumLength;
            schema["maxLength"] = length.MaximumLength;
        }

        if (property.GetCustomAttribute<RegularExpressionAttribute>() is { } pattern)
        {
            schema["pattern"] = pattern.Pattern;
        }

        if (value is not null && Simple(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) is not null)
        {
            schema["default"] = value is Enum or TimeSpan or TimeOnly or Uri or DateTime ? JsonValue.Create(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)) : JsonSerializer.SerializeToNode(value);
        }
    }

    private static object? Defaults(Type type)
    {
        try
        {
            return type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null ? null : Activator.CreateInstance(type);
        }
        catch (TargetInvocationException)
        {
            // A constructor that throws only costs the form its default values.
            return null;
        }
    }
}
