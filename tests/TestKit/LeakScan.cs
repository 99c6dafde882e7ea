using System.IO.Compression;
using System.Text;
using UglyToad.PdfPig;

namespace Confide.TestKit;

/// <summary>
/// Looks for strings everywhere in a PDF file: the text PdfPig extracts (which maps glyph ids
/// through each font's ToUnicode CMap), the raw file, and every stream after inflating it. Bytes
/// are searched as Latin-1, UTF-16BE, UTF-16LE and PDF hex strings (upper and lower case) of
/// Latin-1 and UTF-16BE.
/// </summary>
public static class LeakScan
{
    public sealed record Hit(string Marker, string Where);

    public static List<Hit> Find(byte[] pdf, IEnumerable<string> markers)
    {
        var hits = new List<Hit>();
        var list = markers.ToList();
        var text = ExtractedText(pdf);
        var streams = Streams(pdf).ToList();
        foreach (var marker in list)
        {
            if (text.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                hits.Add(new Hit(marker, "extracted text"));
            }
            foreach (var (name, pattern) in Patterns(marker))
            {
                if (IndexOf(pdf, pattern) >= 0)
                {
                    hits.Add(new Hit(marker, $"raw file ({name})"));
                }
                for (var i = 0; i < streams.Count; i++)
                {
                    if (IndexOf(streams[i], pattern) >= 0)
                    {
                        hits.Add(new Hit(marker, $"stream {i} inflated ({name})"));
                    }
                }
            }
        }
        return hits;
    }

    /// <summary>Every page's words (joined) and raw letters, plus the document information, from PdfPig.</summary>
    public static string ExtractedText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var s = new StringBuilder();
        foreach (var page in document.GetPages())
        {
            s.AppendJoin(' ', page.GetWords().Select(w => w.Text)).Append('\n');
            s.Append(page.Text).Append('\n');
            foreach (var annotation in page.GetAnnotations())
            {
                s.Append(annotation.Content).Append('\n');
            }
        }
        var info = document.Information;
        s.Append(info.Title).Append(info.Author).Append(info.Subject).Append(info.Keywords).Append(info.Creator).Append(info.Producer);
        if (document.TryGetXmpMetadata(out var xmp))
        {
            s.Append(Encoding.UTF8.GetString(xmp.GetXmlBytes().ToArray()));
        }
        return s.ToString();
    }

    /// <summary>Every stream's bytes, inflated when they inflate (nested Flate included), else raw.</summary>
    public static IEnumerable<byte[]> Streams(byte[] pdf)
    {
        var latin = Encoding.Latin1.GetString(pdf);
        var at = 0;
        while (true)
        {
            var start = latin.IndexOf("stream", at, StringComparison.Ordinal);
            if (start < 0)
            {
                yield break;
            }
            if (start >= 3 && latin.AsSpan(start - 3, 3).SequenceEqual("end"))
            {
                at = start + 6;
                continue;
            }
            var data = start + 6;
            if (data < latin.Length && latin[data] == '\r')
            {
                data++;
            }
            if (data < latin.Length && latin[data] == '\n')
            {
                data++;
            }
            var end = latin.IndexOf("endstream", data, StringComparison.Ordinal);
            if (end < 0)
            {
                yield break;
            }
            var raw = pdf.AsSpan(data, end - data).ToArray();
            yield return raw;
            var inflated = raw;
            for (var depth = 0; depth < 3 && TryInflate(inflated, out var next); depth++)
            {
                yield return next;
                inflated = next;
            }
            at = end + 9;
        }
    }

    private static bool TryInflate(byte[] data, out byte[] result)
    {
        try
        {
            using var input = new MemoryStream(data);
            using var z = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            z.CopyTo(output);
            result = output.ToArray();
            return result.Length > 0;
        }
        catch (InvalidDataException)
        {
            result = [];
            return false;
        }
    }

    private static IEnumerable<(string Name, byte[] Pattern)> Patterns(string marker)
    {
        var latin1 = Encoding.Latin1.GetBytes(marker);
        var utf16be = Encoding.BigEndianUnicode.GetBytes(marker);
        yield return ("Latin-1", latin1);
        yield return ("UTF-16BE", utf16be);
        yield return ("UTF-16LE", Encoding.Unicode.GetBytes(marker));
        yield return ("hex Latin-1", Encoding.ASCII.GetBytes(Convert.ToHexString(latin1)));
        yield return ("hex Latin-1 lower", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(latin1)));
        yield return ("hex UTF-16BE", Encoding.ASCII.GetBytes(Convert.ToHexString(utf16be)));
        yield return ("hex UTF-16BE lower", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(utf16be)));
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
