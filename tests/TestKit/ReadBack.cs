using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using UglyToad.PdfPig;

namespace Confide.TestKit;

/// <summary>Reads rendered documents back: PDF with PdfPig, DOCX with the Open XML SDK.</summary>
public static partial class ReadBack
{
    /// <summary>A PDF read back.</summary>
    /// <param name="Text">The running header of page 1, then the body text of every page (the header and footer of later pages left out, so text flows across page breaks).</param>
    /// <param name="Pages">Page sizes in points.</param>
    /// <param name="FontNames">The fonts of every letter.</param>
    /// <param name="Footers">Each page's footer text.</param>
    public sealed record PdfInfo(string Text, IReadOnlyList<(double Width, double Height)> Pages, IReadOnlyList<string> FontNames, IReadOnlyList<string> Footers);

    /// <summary>How far from the top and bottom edges the running header and footer sit, in points.</summary>
    private const double ChromeBand = 56;

    public static PdfInfo Pdf(byte[] bytes)
    {
        using var document = PdfDocument.Open(bytes);
        var text = new StringBuilder();
        var pages = new List<(double, double)>();
        var fonts = new HashSet<string>(StringComparer.Ordinal);
        var footers = new List<string>();
        foreach (var page in document.GetPages())
        {
            pages.Add((page.Width, page.Height));
            // page.Text loses the spaces between PDFsharp's words: join the words instead.
            var words = page.GetWords().ToList();
            var header = words.Where(w => w.BoundingBox.Bottom > page.Height - ChromeBand);
            var footer = words.Where(w => w.BoundingBox.Top < ChromeBand);
            var body = words.Where(w => w.BoundingBox.Bottom <= page.Height - ChromeBand && w.BoundingBox.Top >= ChromeBand);
            if (page.Number == 1)
            {
                text.AppendJoin(' ', header.Select(w => w.Text)).Append('\n');
            }
            text.AppendJoin(' ', body.Select(w => w.Text)).Append('\n');
            footers.Add(Normalize(string.Join(' ', footer.Select(w => w.Text))));
            foreach (var letter in page.Letters)
            {
                fonts.Add(letter.FontName ?? "(none)");
            }
        }
        return new PdfInfo(Normalize(text.ToString()), pages, fonts.ToArray(), footers);
    }

    /// <summary>The text of the body, header and footer, paragraph by paragraph.</summary>
    public static string Docx(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        using var document = WordprocessingDocument.Open(stream, isEditable: false);
        var main = document.MainDocumentPart!;
        var parts = new List<DocumentFormat.OpenXml.OpenXmlElement>();
        parts.AddRange(main.HeaderParts.Select(h => (DocumentFormat.OpenXml.OpenXmlElement)h.Header));
        parts.Add(main.Document.Body!);
        parts.AddRange(main.FooterParts.Select(f => (DocumentFormat.OpenXml.OpenXmlElement)f.Footer));
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            foreach (var paragraph in part.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>())
            {
                text.AppendJoin("", paragraph.Descendants<DocumentFormat.OpenXml.Wordprocessing.Text>().Select(t => t.Text)).Append('\n');
            }
        }
        return Normalize(text.ToString());
    }

    /// <summary>Schema errors the Open XML SDK's validator finds in a DOCX (none for a file Word opens cleanly).</summary>
    public static IReadOnlyList<string> DocxErrors(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        using var document = WordprocessingDocument.Open(stream, isEditable: false);
        return new DocumentFormat.OpenXml.Validation.OpenXmlValidator()
            .Validate(document)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}")
            .ToList();
    }

    /// <summary>The DOCX page size in twentieths of a point.</summary>
    public static (uint Width, uint Height) DocxPageSize(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        using var document = WordprocessingDocument.Open(stream, isEditable: false);
        var size = document.MainDocumentPart!.Document.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.PageSize>().Single();
        return (size.Width!.Value, size.Height!.Value);
    }

    /// <summary>Whitespace collapsed to single spaces, so text compares across line breaks.</summary>
    public static string Normalize(string text) => Spaces().Replace(text, " ").Trim();

    public static int Count(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
