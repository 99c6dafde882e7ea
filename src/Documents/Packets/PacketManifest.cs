using System.Globalization;
using System.Text;
using System.Text.Json;
using Confide.Core;
using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Documents.Packets;

/// <summary>One item of the packet as the manifest lists it.</summary>
/// <param name="Id">The item's id.</param>
/// <param name="Category">Its category.</param>
/// <param name="Date">Its date, if any.</param>
/// <param name="Title">Its title.</param>
/// <param name="Mode"><c>typed</c> or <c>pdf</c> (a merged uploaded PDF).</param>
/// <param name="Pages">Pages it takes in the packet.</param>
/// <param name="BatesFirst">Bates number of its first page.</param>
/// <param name="BatesLast">Bates number of its last page.</param>
/// <param name="Redactions">Spans of typed text removed, or regions blacked out.</param>
/// <param name="WithheldPages">Pages of the uploaded PDF (1-based) withheld: a placeholder page stands in for each.</param>
/// <param name="BlackedOutPages">Pages of the uploaded PDF (1-based) with regions blacked out (burned into an image).</param>
public sealed record ManifestItem(
    string Id,
    Category Category,
    DateOnly? Date,
    string Title,
    string Mode,
    int Pages,
    string BatesFirst,
    string BatesLast,
    int Redactions,
    IReadOnlyList<int> WithheldPages,
    IReadOnlyList<int> BlackedOutPages
);

/// <summary>
/// The list of what a packet holds, and its SHA-256: written beside the packet (never inside it) by
/// <see cref="PacketFiles"/>, as JSON and as text.
/// </summary>
public sealed record PacketManifest(
    string Sha256,
    int PageCount,
    string BatesFirst,
    string BatesLast,
    int CoverPages,
    DateOnly DisclosedOn,
    Outcome Basis,
    string Recipient,
    IReadOnlyList<ManifestItem> Items
)
{
    /// <summary>The manifest as indented UTF-8 JSON.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("packet", "Disclosure packet");
            w.WriteString("sha256", Sha256);
            w.WriteNumber("pages", PageCount);
            w.WriteString("batesFirst", BatesFirst);
            w.WriteString("batesLast", BatesLast);
            w.WriteNumber("coverPages", CoverPages);
            w.WriteString("disclosedOn", Iso(DisclosedOn));
            w.WriteString("basis", Wire<Outcome>.Name(Basis));
            w.WriteString("recipient", Recipient);
            w.WriteStartArray("items");
            foreach (var item in Items)
            {
                w.WriteStartObject();
                w.WriteString("id", item.Id);
                w.WriteString("category", Categories.Name(item.Category));
                if (item.Date is { } date)
                {
                    w.WriteString("date", Iso(date));
                }
                else
                {
                    w.WriteNull("date");
                }
                w.WriteString("title", item.Title);
                w.WriteString("mode", item.Mode);
                w.WriteNumber("pages", item.Pages);
                w.WriteString("batesFirst", item.BatesFirst);
                w.WriteString("batesLast", item.BatesLast);
                w.WriteNumber("redactions", item.Redactions);
                Pages(w, "withheldPages", item.WithheldPages);
                Pages(w, "blackedOutPages", item.BlackedOutPages);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The manifest for a person to read.</summary>
    public string ToText()
    {
        var s = new StringBuilder();
        s.Append("Disclosure packet manifest\n\n");
        s.Append(CultureInfo.InvariantCulture, $"SHA-256:    {Sha256}\n");
        s.Append(CultureInfo.InvariantCulture, $"Pages:      {PageCount} ({BatesFirst} to {BatesLast}; cover sheet {CoverPages} page{(CoverPages == 1 ? "" : "s")})\n");
        s.Append(CultureInfo.InvariantCulture, $"Disclosed:  {Iso(DisclosedOn)}, {Wire<Outcome>.Name(Basis)}\n");
        s.Append(CultureInfo.InvariantCulture, $"Recipient:  {OneLine(Recipient)}\n\n");
        s.Append(CultureInfo.InvariantCulture, $"Items ({Items.Count}):\n");
        var n = 0;
        foreach (var item in Items)
        {
            n++;
            s.Append(CultureInfo.InvariantCulture, $"{n,4}. {item.BatesFirst}-{item.BatesLast}  {Categories.Name(item.Category)}  {(item.Date is { } d ? Iso(d) : "undated")}  {OneLine(item.Title)}\n");
            s.Append(CultureInfo.InvariantCulture, $"      id {item.Id}; {item.Mode}; {item.Pages} page{(item.Pages == 1 ? "" : "s")}");
            if (item.Redactions > 0)
            {
                s.Append(CultureInfo.InvariantCulture, $"; {item.Redactions} redaction{(item.Redactions == 1 ? "" : "s")}");
            }
            if (item.WithheldPages.Count > 0)
            {
                s.Append("; pages withheld: ").AppendJoin(", ", item.WithheldPages);
            }
            if (item.BlackedOutPages.Count > 0)
            {
                s.Append("; pages with regions blacked out: ").AppendJoin(", ", item.BlackedOutPages);
            }
            s.Append('\n');
        }
        return s.ToString();
    }

    private static void Pages(Utf8JsonWriter w, string name, IReadOnlyList<int> pages)
    {
        w.WriteStartArray(name);
        foreach (var page in pages)
        {
            w.WriteNumberValue(page);
        }
        w.WriteEndArray();
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string OneLine(string text) => string.Join(", ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
