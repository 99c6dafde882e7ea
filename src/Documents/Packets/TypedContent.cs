using System.Text;
using Confide.Core;

namespace Confide.Documents.Packets;

/// <summary>
/// Typed record content as document blocks, with redacted spans already cut out of the text: the
/// removed characters never reach the renderer, and a visible "[redacted]" stands in their place.
/// </summary>
internal static class TypedContent
{
    /// <summary>What stands where text was removed.</summary>
    public const string Marker = "[redacted]";

    /// <summary>The spans sorted, checked against the content, overlapping or touching ones merged.</summary>
    public static List<(int Start, int End)> Merge(string id, string content, IReadOnlyList<TextSpan> spans)
    {
        var sorted = new List<(int Start, int End)>(spans.Count);
        foreach (var span in spans)
        {
            if (span.Start < 0 || span.Length < 0 || span.Start > content.Length - span.Length)
            {
                throw new ArgumentException($"item '{id}': redaction ({span.Start}, {span.Length}) is outside its {content.Length} characters");
            }
            if (span.Length > 0)
            {
                sorted.Add((span.Start, span.Start + span.Length));
            }
        }
        sorted.Sort();
        var merged = new List<(int Start, int End)>(sorted.Count);
        foreach (var s in sorted)
        {
            if (merged.Count > 0 && s.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, s.End));
            }
            else
            {
                merged.Add(s);
            }
        }
        return merged;
    }

    /// <summary>The item's heading, then its text line by line, spans replaced by the marker. Lazy: one line at a time.</summary>
    public static IEnumerable<Block> Blocks(TypedItem item, List<(int Start, int End)> redactions)
    {
        yield return new TitleBlock(item.Title, Subtitle(item));
        yield return new Rule();

        var content = item.Content;
        var line = new List<Inline>();
        var text = new StringBuilder();
        var pos = 0;
        var next = 0; // the next redaction
        while (pos < content.Length || next < redactions.Count)
        {
            if (next < redactions.Count && pos == redactions[next].Start)
            {
                Flush(text, line);
                line.Add(new TextRun(Marker, Bold: true));
                pos = redactions[next].End;
                next++;
                continue;
            }
            var stop = next < redactions.Count ? redactions[next].Start : content.Length;
            if (pos >= stop)
            {
                break;
            }
            var c = content[pos++];
            if (c == '\n')
            {
                Flush(text, line);
                yield return LineBlock(line);
                line = [];
            }
            else if (c == '\r')
            {
                // dropped: \r\n ends a line at the \n
            }
            else if (char.IsControl(c))
            {
                text.Append(' ');
            }
            else
            {
                text.Append(c);
            }
        }
        Flush(text, line);
        if (line.Count > 0)
        {
            yield return LineBlock(line);
        }
    }

    private static string Subtitle(PacketItem item)
    {
        var parts = new List<string> { Vocabulary.Long(item.Category) };
        if (item.Date is { } date)
        {
            parts.Add(Vocabulary.Date(date));
        }
        if (!string.IsNullOrWhiteSpace(item.Author))
        {
            parts.Add(item.Author);
        }
        return string.Join(" \u00b7 ", parts);
    }

    private static void Flush(StringBuilder text, List<Inline> line)
    {
        if (text.Length > 0)
        {
            line.Add(new TextRun(text.ToString()));
            text.Clear();
        }
    }

    private static Block LineBlock(List<Inline> line) =>
        line.Count == 0 || line.All(i => i is TextRun r && string.IsNullOrWhiteSpace(r.Text)) ? new Spacer() : new Paragraph(line, ParagraphStyle.Compact);
}
