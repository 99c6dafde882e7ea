using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Confide.TestKit;

/// <summary>
/// Hostile PDFs, generated in the test (nothing checked in): each a well-formed file (objects and a
/// correct cross-reference table) whose structure attacks a reader.
/// </summary>
public static class HostilePdfs
{
    /// <summary>One page whose dictionary holds arrays nested <paramref name="depth"/> deep (about 40 KB at 20,000): PDFsharp's recursive parser overflows its stack.</summary>
    public static byte[] NestedArrays(int depth = 20_000) =>
        Build(
            [
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Bomb {new string('[', depth)}{new string(']', depth)} >>",
            ]
        );

    /// <summary>A page tree of <paramref name="levels"/> levels, each node listing the next one <paramref name="fanout"/> times: 4^8 = 65,536 pages from about 1.6 KB.</summary>
    public static byte[] PageTree(int levels = 8, int fanout = 4)
    {
        // 1 catalog, 2 the one page, 3.. the tree nodes (3 the root)
        var objects = new List<string> { "<< /Type /Catalog /Pages 3 0 R >>", "<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] >>" };
        for (var level = 0; level < levels; level++)
        {
            var kid = level + 1 < levels ? level + 4 : 2;
            var kids = string.Join(" ", Enumerable.Repeat($"{kid} 0 R", fanout));
            var count = (long)Math.Pow(fanout, levels - level);
            objects.Add($"<< /Type /Pages /Kids [{kids}] /Count {count} >>");
        }
        return Build([.. objects]);
    }

    /// <summary>One page with a FlateDecode content stream that inflates to <paramref name="gigabytes"/> GB of zeros (about 1 MB compressed per GB).</summary>
    public static byte[] ZipBomb(int gigabytes = 2)
    {
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < gigabytes * 1024; i++)
            {
                z.Write(zeros);
            }
        }
        return Build(
            [
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                null,
            ],
            (4, compressed.ToArray(), "/Filter /FlateDecode")
        );
    }

    /// <summary>The first half of <paramref name="pdf"/>.</summary>
    public static byte[] Truncated(byte[] pdf) => pdf[..(pdf.Length / 2)];

    /// <summary>
    /// One page with visible text <paramref name="visible"/>, and everything a reader must not carry
    /// along, each holding <paramref name="hidden"/>: an open action running JavaScript, an embedded
    /// file, a file attachment annotation and a link annotation with a JavaScript action.
    /// </summary>
    public static byte[] ActiveContent(string visible, string hidden)
    {
        var text = Encoding.ASCII.GetBytes($"BT /F1 18 Tf 72 700 Td ({visible}) Tj ET");
        var file = Encoding.ASCII.GetBytes($"embedded file {hidden}");
        return Build(
            [
                $"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\('{hidden}'\\)) >> /Names << /EmbeddedFiles << /Names [(secret.txt) 6 0 R] >> /JavaScript << /Names [(js) << /S /JavaScript /JS (this.{hidden}) >>] >> >> >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /AA << /O << /S /JavaScript /JS (go.{hidden}) >> >> "
                    + $"/Annots [<< /Type /Annot /Subtype /FileAttachment /Rect [72 600 92 620] /FS 6 0 R /Contents ({hidden}) >> << /Type /Annot /Subtype /Link /Rect [72 500 200 520] /A << /S /JavaScript /JS (link.{hidden}) >> >>] >>",
                null,
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                $"<< /Type /Filespec /F (secret.txt) /EF << /F 7 0 R >> /Desc ({hidden}) >>",
                null,
            ],
            (4, text, ""),
            (7, file, "/Type /EmbeddedFile")
        );
    }

    /// <summary>A well-formed PDF of the given objects (numbered from 1); a null object is a stream given in <paramref name="streams"/>.</summary>
    public static byte[] Build(IReadOnlyList<string?> objects, params (int Number, byte[] Data, string Dictionary)[] streams)
    {
        using var pdf = new MemoryStream();
        void Write(string s) => pdf.Write(Encoding.ASCII.GetBytes(s));
        Write("%PDF-1.7\n%\u00e2\u00e3\n");
        var offsets = new long[objects.Count];
        for (var n = 0; n < objects.Count; n++)
        {
            offsets[n] = pdf.Position;
            Write($"{n + 1} 0 obj\n");
            if (objects[n] is { } body)
            {
                Write(body);
            }
            else
            {
                var (_, data, dictionary) = streams.Single(s => s.Number == n + 1);
                Write($"<< /Length {data.Length} {dictionary} >>\nstream\n");
                pdf.Write(data);
                Write("\nendstream");
            }
            Write("\nendobj\n");
        }
        var xref = pdf.Position;
        Write($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            Write(offset.ToString("D10", CultureInfo.InvariantCulture) + " 00000 n \n");
        }
        Write($"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }
}
