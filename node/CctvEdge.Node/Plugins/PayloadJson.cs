using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CctvEdge.Node.Plugins;

/// <summary>
/// Writes an event payload as JSON by plain reflection: public properties with camel-case names (or their
/// <see cref="JsonPropertyNameAttribute"/>, skipping <see cref="JsonIgnoreAttribute"/>), numbers, strings, booleans,
/// enums as numbers, dates, lists, dictionaries and nested objects, as <see cref="JsonSerializerDefaults.Web"/> would.
/// System.Text.Json's serializer is not used for plugin types on purpose: its static reflection caches keep them, and
/// with them an unloaded plugin's load context, in memory (dotnet/runtime#65323).
/// </summary>
internal static class PayloadJson
{
    private const int MaxDepth = 16;

    public static string Serialize(object payload)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, payload, 0);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"The payload nests deeper than {MaxDepth} levels (a cycle?).", nameof(value));
        }

        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string or char or Guid or Uri or TimeSpan or TimeOnly or DateOnly:
                writer.WriteStringValue(Convert.ToString(value is TimeSpan span ? span.ToString("c", CultureInfo.InvariantCulture) : value, CultureInfo.InvariantCulture));
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case DateTimeOffset moment:
                writer.WriteStringValue(moment);
                break;
            case DateTime moment:
                writer.WriteStringValue(moment);
                break;
            case Enum or byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong number:
                writer.WriteNumberValue(number);
                break;
            case float or double or decimal:
                WriteReal(writer, Convert.ToDouble(value, CultureInfo.InvariantCulture), value);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case JsonNode node:
                node.WriteTo(writer);
                break;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                    Write(writer, entry.Value, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            default:
                WriteObject(writer, value, depth);
                break;
        }
    }

    private static void WriteReal(Utf8JsonWriter writer, double real, object value)
    {
        if (!double.IsFinite(real))
        {
            throw new ArgumentException($"The payload holds a number that is not finite ({real}).", nameof(value));
        }

        if (value is decimal exact)
        {
            writer.WriteNumberValue(exact);
        }
        else
        {
            writer.WriteNumberValue(real);
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, object value, int depth)
    {
        writer.WriteStartObject();
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0 || property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
            {
                continue;
            }

            writer.WritePropertyName(property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name));
            Write(writer, property.GetValue(value), depth + 1);
        }

        writer.WriteEndObject();
    }
}
