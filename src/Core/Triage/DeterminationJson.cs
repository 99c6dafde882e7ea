using System.Text.Json;
using Confide.Core.Law;
using Confide.Core.Requests;

namespace Confide.Core.Triage;

/// <summary>
/// Writes a <see cref="Determination"/> in the contract's JSON shape (camelCase names, wire
/// values, categories in ordinal order). The one serializer for the CLI, the web app and the API.
/// </summary>
public static class DeterminationJson
{
    /// <summary>Writes <paramref name="determination"/> as one JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, Determination determination)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(determination);
        var d = determination;
        writer.WriteStartObject();
        writer.WriteString("outcome", Wire<Outcome>.Name(d.Outcome));
        WriteCategories(writer, "disclose", d.Disclose);
        WriteCategories(writer, "withheld", d.Withheld);
        WriteStrings(writer, "citations", d.Citations);
        WriteStrings(writer, "reasons", d.Reasons);
        WriteStrings(writer, "steps", d.Steps);
        writer.WriteStartArray("documents");
        for (var i = 0; i < d.Documents.Count; i++)
        {
            writer.WriteStringValue(Wire<DocumentKind>.Name(d.Documents[i]));
        }
        writer.WriteEndArray();
        if (d.RespondBy is { } respondBy)
        {
            WriteDate(writer, "respondBy", respondBy);
        }
        else
        {
            writer.WriteNull("respondBy");
        }
        if (d.ObjectBy is { } objectBy)
        {
            WriteDate(writer, "objectBy", objectBy);
        }
        else
        {
            writer.WriteNull("objectBy");
        }
        writer.WriteStartObject("profile");
        writer.WriteString("jurisdiction", d.Profile.Jurisdiction);
        writer.WriteString("version", d.Profile.Version);
        WriteDate(writer, "reviewedOn", d.Profile.ReviewedOn);
        writer.WriteString("coverage", Wire<Coverage>.Name(d.Profile.Coverage));
        writer.WriteEndObject();
        WriteStrings(writer, "warnings", d.Warnings);
        writer.WriteEndObject();
    }

    /// <summary>The determination as a single-line JSON string.</summary>
    public static string ToJson(Determination determination)
    {
        // One buffer and writer per thread, reset on each call: only the returned string is new.
        var buffer = t_buffer ??= new System.Buffers.ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false });
        writer.Reset(buffer);
        Write(writer, determination);
        writer.Flush();
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static void WriteDate(Utf8JsonWriter writer, string name, DateOnly date)
    {
        Span<char> text = stackalloc char[10];
        date.TryFormat(text, out var written, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        writer.WriteString(name, text[..written]);
    }

    private static void WriteCategories(Utf8JsonWriter writer, string name, CategorySet set)
    {
        writer.WriteStartArray(name);
        var order = Categories.InNameOrder;
        for (var i = 0; i < order.Count; i++)
        {
            if (set.Contains(order[i]))
            {
                writer.WriteStringValue(Categories.Name(order[i]));
            }
        }
        writer.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        for (var i = 0; i < values.Count; i++)
        {
            writer.WriteStringValue(values[i]);
        }
        writer.WriteEndArray();
    }
}
