using System.Text.Json;
using Confide.Core.Law;
using Confide.Core.Requests;

namespace Confide.Core.Triage;

/// <summary>
/// Writes a <see cref="Determination"/> in the contract's JSON shape (camelCase names, wire
/// values, categories in ordinal order), and reads it back: <c>Read(ToJson(d))</c> writes the same
/// JSON as <c>d</c>. The one serializer for the CLI, the web app and the API.
/// </summary>
public static class DeterminationJson
{
    /// <summary>Reads a determination written by <see cref="Write"/> (one stored before <c>objectBy</c> existed reads it as null).</summary>
    /// <exception cref="FormatException">The JSON is not a determination in the contract's shape; the message names the property.</exception>
    public static Determination Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var path = "$";
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            JsonElement Get(JsonElement parent, string name, string parentPath)
            {
                path = $"{parentPath}.{name}";
                return parent.GetProperty(name);
            }
            var profile = Get(root, "profile", "$");
            var profileRef = new ProfileRef(
                Get(profile, "jurisdiction", "$.profile").GetString() ?? throw new FormatException(),
                Get(profile, "version", "$.profile").GetString() ?? throw new FormatException(),
                ReadDate(Get(profile, "reviewedOn", "$.profile")),
                ReadEnum<Coverage>(Get(profile, "coverage", "$.profile"))
            );
            var outcome = ReadEnum<Outcome>(Get(root, "outcome", "$"));
            var disclose = ReadCategories(Get(root, "disclose", "$"));
            var withheld = ReadCategories(Get(root, "withheld", "$"));
            var citations = ReadStrings(Get(root, "citations", "$"));
            var reasons = ReadStrings(Get(root, "reasons", "$"));
            var steps = ReadStrings(Get(root, "steps", "$"));
            var documents = Get(root, "documents", "$").EnumerateArray().Select(ReadEnum<DocumentKind>).ToArray();
            var respondBy = Get(root, "respondBy", "$") is { ValueKind: JsonValueKind.Null } ? (DateOnly?)null : ReadDate(root.GetProperty("respondBy"));
            path = "$.objectBy";
            DateOnly? objectBy = root.TryGetProperty("objectBy", out var o) && o.ValueKind != JsonValueKind.Null ? ReadDate(o) : null;
            var warnings = ReadStrings(Get(root, "warnings", "$"));
            return new Determination
            {
                Outcome = outcome,
                Disclose = disclose,
                Withheld = withheld,
                Citations = citations,
                Reasons = reasons,
                Steps = steps,
                Documents = documents,
                RespondBy = respondBy,
                ObjectBy = objectBy,
                Profile = profileRef,
                Warnings = warnings,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"{path}: not a determination in the contract's shape", ex);
        }
    }

    private static T ReadEnum<T>(JsonElement e)
        where T : struct, Enum => Wire<T>.TryParse(e.GetString(), out var value) ? value : throw new FormatException($"unknown {typeof(T).Name}");

    private static CategorySet ReadCategories(JsonElement e)
    {
        var set = CategorySet.Empty;
        foreach (var item in e.EnumerateArray())
        {
            set = Categories.TryParse(item.GetString(), out var c) ? set.With(c) : throw new FormatException("unknown category");
        }
        return set;
    }

    private static string[] ReadStrings(JsonElement e) => e.EnumerateArray().Select(s => s.GetString() ?? throw new FormatException("null string")).ToArray();

    private static DateOnly ReadDate(JsonElement e) =>
        DateOnly.ParseExact(e.GetString() ?? throw new FormatException("null date"), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

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
