using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Confide.Documents.Pdf;

/// <summary>
/// Lays a <see cref="DocumentModel"/> out as a PDF with PDFsharp: wrapped text with page breaks,
/// the running header and "Page n of m" footer, fonts embedded. Adds no words of its own. One
/// instance renders any number of documents; not thread-safe (create one per thread).
/// </summary>
public sealed class PdfRenderer(PaperSize paper)
{
    private const double Margin = 72;
    private const double BodySize = 10.5;
    private const double SmallSize = 8.8;
    private const double HeadingSize = 11;
    private const double TitleSize = 15;
    private const double ChromeSize = 7.5;
    private const double Leading = 1.38;
    private const double ListIndent = 20;
    private const double BoxPadding = 7;
    private const double SignatureWidth = 260;
    private const double DateOffset = 300;
    private const double DateWidth = 150;

    private static readonly XPdfFontOptions FontOptions = new(PdfFontEncoding.Unicode);
    private static readonly XColor Ink = XColor.FromArgb(0x1a, 0x1a, 0x1a);
    private static readonly XColor Muted = XColor.FromArgb(0x55, 0x55, 0x55);

    private readonly Dictionary<(double Size, bool Bold, bool Italic), XFont> _fonts = [];

    /// <summary>Renders <paramref name="model"/> to PDF bytes.</summary>
    public byte[] Render(DocumentModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        EmbeddedFonts.Install();
        using var document = new PdfDocument();
        document.Info.Title = model.Title;
        document.Info.Creator = "Confide";
        document.Info.Subject = model.FileStem;

        Place(document, model.Blocks);
        DrawChrome(document, model);

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    /// <summary>
    /// Lays <paramref name="blocks"/> out on new pages appended to <paramref name="document"/>
    /// (starting on a fresh page), with no header or footer. Returns the number of pages added.
    /// </summary>
    internal int Place(PdfDocument document, IEnumerable<Block> blocks)
    {
        EmbeddedFonts.Install();
        var before = document.PageCount;
        var layout = new Layout(this, document, paper);
        foreach (var block in blocks)
        {
            layout.Place(block);
        }
        layout.Finish();
        return document.PageCount - before;
    }

    internal XFont Font(double size, bool bold = false, bool italic = false)
    {
        if (!_fonts.TryGetValue((size, bold, italic), out var font))
        {
            var style = (bold, italic) switch
            {
                (true, true) => XFontStyleEx.BoldItalic,
                (true, false) => XFontStyleEx.Bold,
                (false, true) => XFontStyleEx.Italic,
                (false, false) => XFontStyleEx.Regular,
            };
            font = new XFont(EmbeddedFonts.Family, size, style, FontOptions);
            _fonts[(size, bold, italic)] = font;
        }
        return font;
    }

    /// <summary>The running header and the page-numbered footer, drawn once every page exists.</summary>
    private void DrawChrome(PdfDocument document, DocumentModel model)
    {
        var count = document.PageCount;
        for (var i = 0; i < count; i++)
        {
            var page = document.Pages[i];
            using var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var width = page.Width.Point;
            var height = page.Height.Point;
            var header = Font(ChromeSize, bold: true);
            var chrome = Font(ChromeSize);
            var pen = new XPen(Muted, 0.5);
            gfx.DrawString(model.Header, header, new XSolidBrush(Muted), new XRect(Margin, 34, width - 2 * Margin, 12), XStringFormats.TopCenter);
            gfx.DrawLine(pen, Margin, 49, width - Margin, 49);
            gfx.DrawLine(pen, Margin, height - 50, width - Margin, height - 50);
            gfx.DrawString(model.Title, chrome, new XSolidBrush(Muted), new XRect(Margin, height - 46, width - 2 * Margin, 12), XStringFormats.TopLeft);
            var label = model.PageLabel.Before + (i + 1).ToString(CultureInfo.InvariantCulture) + model.PageLabel.Between + count.ToString(CultureInfo.InvariantCulture);
            gfx.DrawString(label, chrome, new XSolidBrush(Muted), new XRect(Margin, height - 46, width - 2 * Margin, 12), XStringFormats.TopRight);
        }
    }

    /// <summary>A piece of a line: a word (or part of one) in one font, or a checkbox.</summary>
    private sealed record Piece(string Text, XFont Font, bool IsBox, double Width, bool Gap);

    private sealed record TextLine(IReadOnlyList<Piece> Pieces, double Width, double Height, double Ascent);

    /// <summary>The cursor over pages: places blocks, breaking pages where they fill.</summary>
    private sealed class Layout
    {
        private readonly PdfRenderer _r;
        private readonly PdfDocument _document;
        private readonly PaperSize _paper;
        private PdfPage? _page;
        private XGraphics? _gfx;
        private double _y;
        private double _left;
        private double _width;
        private double _bottom;
        private Block? _previous;

        public Layout(PdfRenderer renderer, PdfDocument document, PaperSize paper)
        {
            _r = renderer;
            _document = document;
            _paper = paper;
            NewPage();
        }

        private XGraphics Gfx => _gfx!;

        private void NewPage()
        {
            _gfx?.Dispose();
            _page = _document.AddPage();
            _page.Size = _paper == PaperSize.A4 ? PdfSharp.PageSize.A4 : PdfSharp.PageSize.Letter;
            _gfx = XGraphics.FromPdfPage(_page);
            _left = Margin;
            _width = _page.Width.Point - 2 * Margin;
            _bottom = _page.Height.Point - Margin;
            _y = Margin;
        }

        public void Finish()
        {
            _gfx?.Dispose();
            _gfx = null;
        }

        private bool AtTop => _y <= Margin + 0.01;

        private void Ensure(double height)
        {
            if (_y + height > _bottom && !AtTop)
            {
                NewPage();
            }
        }

        private void Gap(double height)
        {
            if (!AtTop)
            {
                _y += height;
            }
        }

        public void Place(Block block)
        {
            switch (block)
            {
                case TitleBlock title:
                    Gap(8);
                    PlaceLines(Wrap([new TextRun(title.Text, Bold: true)], TitleSize, _width), 0, center: true);
                    if (title.Subtitle is not null)
                    {
                        PlaceLines(Wrap([new TextRun(title.Subtitle, Italic: true)], BodySize, _width), 0, center: true);
                    }
                    _y += 10;
                    break;
                case Heading heading:
                    {
                        Gap(_previous is Heading ? 2 : 9);
                        var lines = Wrap([new TextRun(heading.Text, Bold: true)], HeadingSize, _width);
                        Ensure(lines.Sum(l => l.Height) + 3 * BodySize * Leading); // keep with what follows
                        PlaceLines(lines, 0, center: false);
                        _y += 3;
                        break;
                    }
                case Paragraph paragraph:
                    PlaceParagraph(paragraph);
                    break;
                case ListBlock list:
                    for (var i = 0; i < list.Items.Count; i++)
                    {
                        var marker = list.Numbered ? (i + 1).ToString(CultureInfo.InvariantCulture) + "." : "\u2022";
                        var lines = Wrap(list.Items[i], BodySize, _width - ListIndent);
                        Ensure(lines[0].Height);
                        Gfx.DrawString(marker, _r.Font(BodySize), new XSolidBrush(Ink), new XPoint(_left + 4, _y + lines[0].Ascent));
                        PlaceLines(lines, ListIndent, center: false);
                        _y += 3;
                    }
                    _y += 5;
                    break;
                case SignatureLine signature:
                    {
                        var captions = signature.Caption.Select(c => Wrap(c, SmallSize, SignatureWidth)).SelectMany(l => l).ToList();
                        Ensure(28 + captions.Sum(l => l.Height));
                        _y += 24;
                        var pen = new XPen(Ink, 0.6);
                        Gfx.DrawLine(pen, _left, _y, _left + SignatureWidth, _y);
                        _y += 2;
                        if (signature.DateCaption is { } date)
                        {
                            Gfx.DrawLine(pen, _left + DateOffset, _y - 2, _left + DateOffset + DateWidth, _y - 2);
                            var top = _y;
                            foreach (var line in Wrap(date, SmallSize, DateWidth))
                            {
                                DrawLine(line, _left + DateOffset, DateWidth, center: false);
                            }
                            _y = top;
                        }
                        PlaceLines(captions, 0, center: false);
                        _y += 4;
                        break;
                    }
                case Rule:
                    _y += 4;
                    Gfx.DrawLine(new XPen(Ink, 0.8), _left, _y, _left + _width, _y);
                    _y += 14;
                    break;
                case Spacer:
                    Gap(9);
                    break;
                default:
                    throw new NotSupportedException($"no PDF layout for {block.GetType().Name}");
            }
            _previous = block;
        }

        private void PlaceParagraph(Paragraph paragraph)
        {
            switch (paragraph.Style)
            {
                case ParagraphStyle.Boxed:
                    {
                        var lines = Wrap(paragraph.Inlines, BodySize, _width - 2 * BoxPadding);
                        var height = lines.Sum(l => l.Height) + 2 * BoxPadding;
                        Ensure(Math.Min(height, _bottom - Margin));
                        var top = _y;
                        _y += BoxPadding;
                        foreach (var line in lines)
                        {
                            if (_y + line.Height > _bottom)
                            {
                                Gfx.DrawRectangle(new XPen(Ink, 0.8), _left, top, _width, _y - top + 2);
                                NewPage();
                                top = _y;
                                _y += BoxPadding;
                            }
                            DrawLine(line, _left + BoxPadding, _width - 2 * BoxPadding, center: false);
                        }
                        _y += BoxPadding;
                        Gfx.DrawRectangle(new XPen(Ink, 0.8), _left, top, _width, _y - top);
                        _y += 9;
                        break;
                    }
                case ParagraphStyle.Small:
                    PlaceLines(Wrap(paragraph.Inlines, SmallSize, _width), 0, center: false);
                    _y += 6;
                    break;
                case ParagraphStyle.Centered:
                    PlaceLines(Wrap(paragraph.Inlines, BodySize, _width), 0, center: true);
                    break;
                case ParagraphStyle.Compact:
                    PlaceLines(Wrap(paragraph.Inlines, BodySize, _width), 0, center: false);
                    break;
                default:
                    PlaceLines(Wrap(paragraph.Inlines, BodySize, _width), 0, center: false);
                    _y += 7;
                    break;
            }
        }

        private void PlaceLines(IReadOnlyList<TextLine> lines, double indent, bool center)
        {
            foreach (var line in lines)
            {
                Ensure(line.Height);
                DrawLine(line, _left + indent, _width - indent, center);
            }
        }

        private void DrawLine(TextLine line, double left, double width, bool center)
        {
            var x = center ? left + (width - line.Width) / 2 : left;
            var baseline = _y + line.Ascent;
            var first = true;
            foreach (var piece in line.Pieces)
            {
                if (piece.Gap && !first)
                {
                    x += Space(piece.Font);
                }
                first = false;
                if (piece.IsBox)
                {
                    var side = piece.Font.Size * 0.72;
                    var top = baseline - side + 0.5;
                    Gfx.DrawRectangle(new XPen(Ink, 0.7), x + 0.5, top, side, side);
                    if (piece.Text == "x")
                    {
                        var pen = new XPen(Ink, 0.9);
                        Gfx.DrawLine(pen, x + 2, top + 1.5, x + side - 1, top + side - 1.5);
                        Gfx.DrawLine(pen, x + 2, top + side - 1.5, x + side - 1, top + 1.5);
                    }
                }
                else
                {
                    Gfx.DrawString(piece.Text, piece.Font, new XSolidBrush(Ink), new XPoint(x, baseline));
                }
                x += piece.Width;
            }
            _y += line.Height;
        }

        private double Space(XFont font) => Gfx.MeasureString(" ", font).Width;

        /// <summary>Breaks styled text into lines no wider than <paramref name="width"/>, at spaces only.</summary>
        private List<TextLine> Wrap(IReadOnlyList<Inline> inlines, double size, double width)
        {
            // Clusters are what may not be split: text between spaces, even across runs.
            var clusters = new List<List<Piece>>();
            var pendingGap = false;
            foreach (var inline in inlines)
            {
                switch (inline)
                {
                    case Checkbox box:
                        {
                            var font = _r.Font(size);
                            clusters.Add([new Piece(box.Checked ? "x" : "", font, true, size * 0.72 + 1.5, pendingGap || clusters.Count > 0)]);
                            pendingGap = false;
                            break;
                        }
                    case TextRun run:
                        {
                            var font = _r.Font(size, run.Bold, run.Italic);
                            var i = 0;
                            var text = run.Text;
                            while (i < text.Length)
                            {
                                if (text[i] == ' ')
                                {
                                    pendingGap = true;
                                    i++;
                                    continue;
                                }
                                var end = text.IndexOf(' ', i);
                                if (end < 0)
                                {
                                    end = text.Length;
                                }
                                var word = text[i..end];
                                var piece = new Piece(word, font, false, Gfx.MeasureString(word, font).Width, pendingGap);
                                if (pendingGap || clusters.Count == 0)
                                {
                                    clusters.Add([piece]);
                                }
                                else
                                {
                                    clusters[^1].Add(piece);
                                }
                                pendingGap = false;
                                i = end;
                            }
                            break;
                        }
                }
            }

            var lines = new List<TextLine>();
            var current = new List<Piece>();
            var x = 0.0;
            foreach (var cluster in clusters)
            {
                var gap = current.Count > 0 && cluster[0].Gap ? Space(cluster[0].Font) : 0;
                var w = cluster.Sum(p => p.Width);
                if (current.Count > 0 && x + gap + w > width)
                {
                    lines.Add(MakeLine(current, x, size));
                    current = [];
                    x = 0;
                    gap = 0;
                }
                if (w > width)
                {
                    // A single word wider than the line: cut it by characters.
                    foreach (var part in Chop(cluster, width))
                    {
                        if (current.Count > 0)
                        {
                            lines.Add(MakeLine(current, x, size));
                            current = [];
                        }
                        current.Add(part);
                        x = part.Width;
                    }
                    continue;
                }
                current.AddRange(cluster);
                x += gap + w;
            }
            if (current.Count > 0 || lines.Count == 0)
            {
                lines.Add(MakeLine(current, x, size));
            }
            return lines;
        }

        private IEnumerable<Piece> Chop(List<Piece> cluster, double width)
        {
            foreach (var piece in cluster)
            {
                var start = 0;
                while (start < piece.Text.Length)
                {
                    var len = 1;
                    while (start + len < piece.Text.Length && Gfx.MeasureString(piece.Text.Substring(start, len + 1), piece.Font).Width <= width)
                    {
                        len++;
                    }
                    var text = piece.Text.Substring(start, len);
                    yield return piece with { Text = text, Width = Gfx.MeasureString(text, piece.Font).Width, Gap = false };
                    start += len;
                }
            }
        }

        private static TextLine MakeLine(List<Piece> pieces, double width, double size)
        {
            var max = pieces.Count == 0 ? size : pieces.Max(p => p.Font.Size);
            return new TextLine(pieces, width, max * Leading, max * 0.95);
        }
    }
}
