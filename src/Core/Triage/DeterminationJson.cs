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
        foreach (var kind in d.Documents)
        {
            writer.WriteStringValue(Wire<DocumentKind>.Name(kind));
        }
        writer.WriteEndArray();
        if (d.RespondBy is { } respondBy)
        {
            writer.WriteString("respondBy", respondBy.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull("respondBy");
        }
        writer.WriteStartObject("profile");
        writer.WriteString("jurisdiction", d.Profile.Jurisdiction);
        writer.WriteString("version", d.Profile.Version);
        writer.WriteString("reviewedOn", d.Profile.ReviewedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteString("coverage", Wire<Coverage>.Name(d.Profile.Coverage));
        writer.WriteEndObject();
        WriteStrings(writer, "warnings", d.Warnings);
        writer.WriteEndObject();
    }

    /// <summary>The determination as a single-line JSON string.</summary>
    public static string ToJson(Determination determination)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            Write(writer, determination);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteCategories(Utf8JsonWriter writer, string name, CategorySet set)
    {
        writer.WriteStartArray(name);
        foreach (var category in Categories.InNameOrder)
        {
            if (set.Contains(category))
            {
                writer.WriteStringValue(Categories.Name(category));
            }
        }
        writer.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
