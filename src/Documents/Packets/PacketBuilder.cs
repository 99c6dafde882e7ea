using System.Globalization;
using Confide.Core.Disclosure;
using Confide.Core.Triage;
using Confide.Documents.Pdf;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace Confide.Documents.Packets;

/// <summary>
/// Builds a disclosure packet: one PDF with a cover sheet, each typed item rendered (redacted text
/// cut out before rendering), uploaded PDFs merged page by page (a withheld page replaced by a
/// placeholder, a page with blacked-out regions burned into an image with the regions black), and a
/// header and Bates number on every page. Not thread-safe: one build at a time per instance.
/// </summary>
/// <remarks>
/// What can reach the file: the cover sheet's words, the included items' text less its redacted
/// spans, and the content and resources of the kept pages of included PDFs. Everything else of an
/// uploaded PDF stays out: its document-level data (info, XMP metadata, outlines, names and
/// embedded files, forms, scripts, open actions) is never copied because only pages are imported,
/// and each imported page keeps only its boxes, rotation, resources and content (annotations,
/// including file attachments and form widgets, page metadata and piece info are dropped).
/// A withheld page contributes nothing but its place (a new page saying it was withheld); a
/// blacked-out page contributes only an image made from it after the regions were painted black.
/// Excluded PDFs are never opened. The file's own metadata names no client.
/// </remarks>
public sealed class PacketBuilder(PacketOptions? options = null)
{
    /// <summary>The file's title (Info dictionary); never a client's name.</summary>
    public const string DocumentTitle = "Disclosure packet";

    private const double ChromeSize = 8;
    private const double ChromeInset = 22;

    private static readonly HashSet<string> PageKeys = new(StringComparer.Ordinal)
    {
        "/Type", "/Parent", "/Resources", "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Contents", "/Rotate", "/Group", "/UserUnit",
    };

    private static readonly string[] ScrubbedKeys = ["/Metadata", "/PieceInfo", "/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile"];

    private readonly PacketOptions _options = options ?? new PacketOptions();

    /// <summary>The options in use.</summary>
    public PacketOptions Options => _options;

    /// <summary>
    /// Builds the packet and writes it to <paramref name="output"/> (nothing is written until the
    /// whole packet is laid out, then the file is streamed in one pass; the stream is not closed).
    /// </summary>
    /// <param name="request">What goes in.</param>
    /// <param name="output">Where the PDF goes (need not be seekable).</param>
    /// <param name="progress">Optional progress; reports come on the building thread, in order, so a synchronous <see cref="IProgress{T}"/> sees them rising.</param>
    /// <param name="cancellationToken">Stops the build between pages.</param>
    /// <exception cref="ArgumentException">The request is invalid: an item outside the disclosure's scope, a bad redaction, a basis that does not disclose.</exception>
    /// <exception cref="PdftoppmNotFoundException">A page is to be blacked out and pdftoppm cannot be found (checked before anything is written).</exception>
    /// <exception cref="InvalidDataException">An uploaded PDF cannot be read (damaged, or protected by a password).</exception>
    public PacketResult Build(PacketRequest request, Stream output, IProgress<PacketProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var included = Validate(request);
        if (_options.RasterDpi < PacketOptions.MinRasterDpi)
        {
            throw new ArgumentException($"blacked-out pages are burned in at {PacketOptions.MinRasterDpi} dpi or more; RasterDpi is {_options.RasterDpi}", nameof(request));
        }
        var rasterizer = included.Any(i => i is AttachmentItem { Regions.Count: > 0 }) ? new Rasterizer(Rasterizer.Resolve(_options.PdftoppmPath), _options.RasterTimeout, _options.RasterMemoryMegabytes) : null;

        EmbeddedFonts.Install();
        var meter = new Meter(progress, included);
        var renderer = new PdfRenderer(_options.Paper);
        var baked = new HashSet<int>(); // pages whose header and Bates number are inside their image
        {
            using var document = new PdfDocument();
            document.Options.CompressContentStreams = true;
            document.Info.Title = DocumentTitle;
            document.Info.Creator = "Confide";

            meter.Report(0, "cover sheet");
            var coverPages = renderer.Place(document, Cover.Blocks(request, included, _options));
            var entries = new List<ManifestItem>(included.Count);
            for (var n = 0; n < included.Count; n++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var item = included[n];
                var stage = $"item {n + 1} of {included.Count}";
                var first = document.PageCount;
                switch (item)
                {
                    case TypedItem typed:
                        {
                            var spans = TypedContent.Merge(typed.Id, typed.Content, typed.Redactions);
                            var pages = renderer.Place(document, TypedContent.Blocks(typed, spans));
                            entries.Add(Entry(item, "typed", first, pages, spans.Count, [], []));
                            meter.ItemDone(n, document.PageCount, stage);
                            break;
                        }
                    case AttachmentItem attachment:
                        {
                            var pages = Merge(document, attachment, rasterizer, baked, meter, n, stage, cancellationToken);
                            var withheld = attachment.WithheldPages ?? new HashSet<int>();
                            var blackedOut = (attachment.Regions ?? []).Select(r => r.Page).Distinct().Order().ToList();
                            entries.Add(Entry(item, "pdf", first, pages, attachment.Regions?.Count ?? 0, [.. withheld.Order()], blackedOut));
                            meter.ItemDone(n, document.PageCount, stage);
                            break;
                        }
                }
            }

            var count = document.PageCount;
            var header = renderer.Font(ChromeSize, bold: true);
            var small = renderer.Font(ChromeSize);
            for (var i = 0; i < count; i++)
            {
                if (!baked.Contains(i))
                {
                    using var gfx = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
                    DrawChrome(gfx, document.Pages[i], header, small, _options.Bates(i));
                }
                if (i % 64 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    meter.Chrome(i, count);
                }
            }

            meter.Saving(count);
            string sha;
            using (var hashing = new HashingStream(output))
            {
                document.Save(hashing, closeStream: false);
                hashing.Flush();
                sha = hashing.Sha256Hex();
            }

            var manifest = new PacketManifest(sha, count, _options.Bates(0), _options.Bates(count - 1), coverPages, request.DisclosedOn, request.Basis, request.Recipient, entries);
            var record = new DisclosureRecord(
                request.DisclosedBy,
                request.Recipient,
                request.DisclosedOn,
                request.Basis,
                request.BasisText,
                [.. included.Select(i => i.Category).Distinct().Order()],
                [.. included.Select(i => i.Id)],
                sha,
                count,
                manifest.BatesFirst,
                manifest.BatesLast
            );
            meter.Done(count);
            return new PacketResult(sha, count, manifest.BatesFirst, manifest.BatesLast, manifest, record);
        }
    }

    private ManifestItem Entry(PacketItem item, string mode, int first, int pages, int redactions, IReadOnlyList<int> withheldPages, IReadOnlyList<int> blackedOutPages) =>
        new(item.Id, item.Category, item.Date, item.Title, mode, pages, _options.Bates(first), _options.Bates(first + Math.Max(pages, 1) - 1), redactions, withheldPages, blackedOutPages);

    /// <summary>Checks the request and returns the items that go in (excluded attachments left out).</summary>
    private static List<PacketItem> Validate(PacketRequest request)
    {
        if (!Outcomes.Discloses(request.Basis))
        {
            throw new ArgumentException($"a packet needs a determination that discloses records; {request.Basis} does not", nameof(request));
        }
        ArgumentNullException.ThrowIfNull(request.Items);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var included = new List<PacketItem>(request.Items.Count);
        foreach (var item in request.Items)
        {
            ArgumentNullException.ThrowIfNull(item);
            if (string.IsNullOrEmpty(item.Id) || !ids.Add(item.Id))
            {
                throw new ArgumentException($"item ids must be present and unique: '{item.Id}'", nameof(request));
            }
            if (item is AttachmentItem { Mode: AttachmentMode.Exclude })
            {
                continue;
            }
            if (!PacketScope.InScope(request.Disclose, request.Range, new RecordItemRef(item.Id, item.Category, item.Date)))
            {
                throw new ArgumentException(
                    $"item '{item.Id}' ({Core.Requests.Categories.Name(item.Category)}, {item.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "undated"}) is outside the disclosure's scope",
                    nameof(request)
                );
            }
            switch (item)
            {
                case TypedItem typed:
                    if (typed.Content is null || typed.Redactions is null)
                    {
                        throw new ArgumentException($"item '{typed.Id}': content and redactions (possibly empty) are required", nameof(request));
                    }
                    TypedContent.Merge(typed.Id, typed.Content, typed.Redactions);
                    break;
                case AttachmentItem { Open: null } a:
                    throw new ArgumentException($"item '{a.Id}': no way to open the PDF", nameof(request));
                case AttachmentItem a:
                    if ((a.WithheldPages ?? new HashSet<int>()).Any(p => p < 1))
                    {
                        throw new ArgumentException($"item '{a.Id}': withheld pages are numbered from 1", nameof(request));
                    }
                    foreach (var region in a.Regions ?? [])
                    {
                        if (region.Page < 1 || a.WithheldPages?.Contains(region.Page) == true)
                        {
                            throw new ArgumentException($"item '{a.Id}': region {region} must be on a page (from 1) that is not withheld", nameof(request));
                        }
                        if (!(region.Width > 0 && region.Height > 0 && region.X >= 0 && region.Y >= 0) || !double.IsFinite(region.Width) || !double.IsFinite(region.Height))
                        {
                            throw new ArgumentException($"item '{a.Id}': region {region} must have a size and start on the page", nameof(request));
                        }
                    }
                    break;
                default:
                    throw new ArgumentException($"item '{item.Id}': unknown kind {item.GetType().Name}", nameof(request));
            }
            included.Add(item);
        }
        return included;
    }

    /// <summary>Appends an uploaded PDF's pages (kept, withheld or blacked out); returns how many.</summary>
    private int Merge(PdfDocument document, AttachmentItem attachment, Rasterizer? rasterizer, HashSet<int> baked, Meter meter, int itemIndex, string stage, CancellationToken cancellationToken)
    {
        using var stream = attachment.Open();
        PdfDocument source;
        try
        {
            source = PdfReader.Open(stream, PdfDocumentOpenMode.Import);
        }
        catch (Exception ex) when (ex is PdfReaderException or InvalidOperationException or NotImplementedException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"item '{attachment.Id}' ({attachment.Title}): the uploaded PDF cannot be read ({ex.Message}); exclude it, or replace it with a readable copy", ex);
        }
        using var _ = source;
        var pageCount = source.PageCount;
        var withheld = attachment.WithheldPages ?? new HashSet<int>();
        var regions = (attachment.Regions ?? []).ToLookup(r => r.Page);
        var beyond = withheld.Concat(regions.Select(g => g.Key)).Where(p => p > pageCount).ToList();
        if (beyond.Count > 0)
        {
            throw new ArgumentException($"item '{attachment.Id}': it has {pageCount} pages; there is no page {beyond.Max()}");
        }
        meter.AttachmentOpened(itemIndex, pageCount);
        for (var p = 0; p < pageCount; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (withheld.Contains(p + 1))
            {
                Placeholder(document, attachment, p + 1, pageCount);
            }
            else if (regions[p + 1].Any())
            {
                RasterPage(document, source.Pages[p], attachment.Id, p + 1, [.. regions[p + 1]], rasterizer!, baked, cancellationToken);
            }
            else
            {
                var page = source.Pages[p];
                Sanitize(page);
                document.AddPage(page);
            }
            meter.AttachmentPage(itemIndex, document.PageCount, stage);
        }
        return pageCount;
    }

    /// <summary>
    /// A new page standing in for a withheld one: it says which item and page was withheld, and takes
    /// the Bates number the page would have had. Nothing of the original page (not even its size) is used.
    /// </summary>
    private void Placeholder(PdfDocument document, AttachmentItem attachment, int pageNumber, int pageCount)
    {
        var page = document.AddPage();
        page.Size = _options.Paper == PaperSize.A4 ? PdfSharp.PageSize.A4 : PdfSharp.PageSize.Letter;
        var renderer = new PdfRenderer(_options.Paper);
        using var gfx = XGraphics.FromPdfPage(page);
        var width = page.Width.Point;
        var title = renderer.Font(20, bold: true);
        var body = renderer.Font(11);
        var top = page.Height.Point / 3;
        gfx.DrawString("Page withheld", title, XBrushes.Black, new XRect(0, top, width, 30), XStringFormats.TopCenter);
        string[] lines =
        [
            $"Page {pageNumber.ToString(CultureInfo.InvariantCulture)} of {pageCount.ToString(CultureInfo.InvariantCulture)} of \"{attachment.Title}\"",
            "was withheld from this disclosure by the practice.",
            "None of its content is in this packet; this page keeps its place and its Bates number.",
        ];
        for (var i = 0; i < lines.Length; i++)
        {
            gfx.DrawString(lines[i], body, XBrushes.Black, new XRect(48, top + 48 + i * 18, width - 96, 16), XStringFormats.TopCenter);
        }
    }

    /// <summary>
    /// The page with its regions painted black and its header and Bates number, rendered to an image by
    /// pdftoppm (through a pipe, at <see cref="PacketOptions.RasterDpi"/>) and placed on a new page as
    /// the only content: the original page's text, objects and hidden layers never enter the packet,
    /// and what was under a region is black pixels in the image.
    /// </summary>
    private void RasterPage(PdfDocument document, PdfPage sourcePage, string itemId, int pageNumber, List<PageRegion> regions, Rasterizer rasterizer, HashSet<int> baked, CancellationToken cancellationToken)
    {
        var index = document.PageCount;
        byte[] single;
        using (var one = new PdfDocument())
        {
            var page = one.AddPage(sourcePage);
            Sanitize(page);
            var renderer = new PdfRenderer(_options.Paper);
            using (var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append))
            {
                var state = gfx.Save();
                var (w, h) = AsDisplayed(gfx, page);
                foreach (var region in regions)
                {
                    if (region.X + region.Width > w + 0.5 || region.Y + region.Height > h + 0.5)
                    {
                        throw new ArgumentException($"item '{itemId}': region {region} reaches beyond page {pageNumber} ({w:0.#} x {h:0.#} points as displayed)");
                    }
                    gfx.DrawRectangle(XBrushes.Black, region.X, region.Y, region.Width, region.Height);
                }
                gfx.Restore(state);
                DrawChrome(gfx, page, renderer.Font(ChromeSize, bold: true), renderer.Font(ChromeSize), _options.Bates(index));
            }
            using var buffer = new MemoryStream();
            one.Save(buffer, closeStream: false);
            single = buffer.ToArray();
        }
        var jpeg = rasterizer.Render(single, 1, _options.RasterDpi, png: false, cancellationToken);
        // PDFsharp copies the JPEG into the page's image object when it is drawn: dispose it right after.
        using var image = XImage.FromStream(new MemoryStream(jpeg, writable: false));
        var target = document.AddPage();
        target.Width = XUnit.FromPoint(image.PixelWidth * 72.0 / _options.RasterDpi);
        target.Height = XUnit.FromPoint(image.PixelHeight * 72.0 / _options.RasterDpi);
        using (var gfx = XGraphics.FromPdfPage(target))
        {
            gfx.DrawImage(image, 0, 0, target.Width.Point, target.Height.Point);
        }
        baked.Add(index);
    }

    /// <summary>
    /// The header at the top center and the Bates number at the bottom right of the page as it is
    /// displayed: on a page with /Rotate (an uploaded scan, say) the drawing is turned to match, so
    /// the stamp reads upright where the viewer shows the top and bottom.
    /// </summary>
    private void DrawChrome(XGraphics gfx, PdfPage page, XFont header, XFont small, string bates)
    {
        var state = gfx.Save();
        var (w, h) = AsDisplayed(gfx, page);
        var muted = new XSolidBrush(XColor.FromArgb(0x55, 0x55, 0x55));
        gfx.DrawString(_options.Header, header, muted, new XRect(0, ChromeInset - 10, w, 12), XStringFormats.TopCenter);
        gfx.DrawString(bates, small, XBrushes.Black, new XRect(0, h - ChromeInset - 2, w - ChromeInset - 14, 12), XStringFormats.TopRight);
        gfx.Restore(state);
    }

    /// <summary>
    /// Turns <paramref name="gfx"/> so that drawing coordinates are those of the page as displayed
    /// (top-left origin, y down, after /Rotate); returns the displayed width and height.
    /// </summary>
    private static (double Width, double Height) AsDisplayed(XGraphics gfx, PdfPage page)
    {
        var w = gfx.PageSize.Width;
        var h = gfx.PageSize.Height;
        switch (((page.Elements.GetInteger("/Rotate") % 360) + 360) % 360)
        {
            case 90:
                gfx.MultiplyTransform(new XMatrix(0, -1, 1, 0, 0, h));
                return (h, w);
            case 180:
                gfx.MultiplyTransform(new XMatrix(-1, 0, 0, -1, w, h));
                return (w, h);
            case 270:
                gfx.MultiplyTransform(new XMatrix(0, 1, -1, 0, w, 0));
                return (h, w);
            default:
                return (w, h);
        }
    }

    /// <summary>Drops everything of an imported page but its boxes, rotation, resources and content.</summary>
    private static void Sanitize(PdfPage page)
    {
        foreach (var key in page.Elements.Keys.ToList())
        {
            if (!PageKeys.Contains(key))
            {
                page.Elements.Remove(key);
            }
        }
        var seen = new HashSet<PdfObject>(ReferenceEqualityComparer.Instance);
        Scrub(page.Elements["/Resources"], seen);
    }

    private static void Scrub(PdfItem? item, HashSet<PdfObject> seen)
    {
        if (item is PdfSharp.Pdf.Advanced.PdfReference reference)
        {
            item = reference.Value;
        }
        switch (item)
        {
            case PdfDictionary dictionary when seen.Add(dictionary):
                foreach (var key in ScrubbedKeys)
                {
                    dictionary.Elements.Remove(key);
                }
                foreach (var value in dictionary.Elements.Values.ToList())
                {
                    Scrub(value, seen);
                }
                break;
            case PdfArray array when seen.Add(array):
                foreach (var element in array.Elements.ToList())
                {
                    Scrub(element, seen);
                }
                break;
        }
    }

    /// <summary>
    /// Progress as a percentage that only rises: items weigh their estimated pages (typed: 1 per
    /// 2,500 characters; PDFs: their page count once opened, 10 before), building is 0-90 %, the
    /// header pass 90-95 %, saving 95-100 %.
    /// </summary>
    private sealed class Meter
    {
        private readonly IProgress<PacketProgress>? _sink;
        private readonly double[] _weights;
        private readonly double[] _done;
        private double _last = -1;
        private string _phase = "";

        public Meter(IProgress<PacketProgress>? sink, IReadOnlyList<PacketItem> items)
        {
            _sink = sink;
            _weights = [.. items.Select(i => i is TypedItem t ? 1 + t.Content.Length / 2500.0 : 10.0)];
            _done = new double[items.Count];
        }

        public void Report(double percent, string stage, int pages = 0)
        {
            if (_sink is null)
            {
                return;
            }
            percent = Math.Clamp(percent, 0, 100);
            var phase = stage.StartsWith("item ", StringComparison.Ordinal) ? "items" : stage;
            if (percent < _last || (percent - _last < 0.5 && phase == _phase && _last >= 0))
            {
                return; // never falling; at most one report per half percent within a phase
            }
            _last = percent;
            _phase = phase;
            _sink.Report(new PacketProgress(Math.Round(percent, 2), pages, stage));
        }

        public void AttachmentOpened(int item, int pages) => _weights[item] = Math.Max(1, pages);

        public void AttachmentPage(int item, int pages, string stage)
        {
            _done[item] = Math.Min(_weights[item], _done[item] + 1);
            Building(pages, stage);
        }

        public void ItemDone(int item, int pages, string stage)
        {
            _done[item] = _weights[item];
            Building(pages, stage);
        }

        public void Chrome(int page, int count) => Report(90 + 5.0 * page / Math.Max(1, count), "headers and Bates numbers", count);

        public void Saving(int count) => Report(95, "saving", count);

        public void Done(int count)
        {
            if (_sink is not null)
            {
                _last = 100;
                _sink.Report(new PacketProgress(100, count, "done"));
            }
        }

        private void Building(int pages, string stage)
        {
            var total = _weights.Sum();
            Report(total <= 0 ? 90 : 90 * _done.Sum() / total, stage, pages);
        }
    }
}
