using Confide.Core.Requests;
using Confide.Documents.Packets;
using Confide.Documents.Pdf;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Annotations;

namespace Confide.Documents.Tests.Packets;

/// <summary>
/// Withheld pages and blacked-out regions looked at as a person sees them: every page of the packet
/// rendered by pdftoppm and its pixels checked. The source pages carry coloured ink at known places
/// (as displayed, also on a page turned by /Rotate 90): under a region the packet must be solid black,
/// beside it the ink must still be where it was, and a withheld page must hold none of it.
/// </summary>
public sealed class PacketPixelTests
{
    private static readonly CategorySet Disclose = CategorySet.Of(Category.Correspondence);

    private static readonly (byte R, byte G, byte B) Red = (220, 30, 30);
    private static readonly (byte R, byte G, byte B) Blue = (30, 30, 220);
    private static readonly (byte R, byte G, byte B) White = (255, 255, 255);

    // Where the ink is, in points from the top-left of each page as displayed.
    private static readonly XRect RedInk = new(80, 100, 160, 60); // under the region
    private static readonly XRect BlueInk = new(400, 300, 120, 80); // beside it
    private static readonly XRect Region = new(70, 90, 300, 120); // covers the red ink and the word below it

    private const string UnderRegion = "ZqxUnderRegionWord41";
    private const string BesideRegion = "ZqxBesideRegionWord42";
    private const string WithheldWord = "ZqxWithheldPageWord43";
    private const string AnnotationWord = "ZqxPixelAnnotation44";
    private const string EmbeddedWord = "ZqxPixelEmbedded45";
    private const string InfoWord = "ZqxPixelInfo46";

    /// <summary>Pages: 1 upright, 2 turned by /Rotate 90, 3 upright (to withhold), 4 upright (kept); each with the ink.</summary>
    private static byte[] Source()
    {
        EmbeddedFonts.Install();
        using var document = new PdfDocument();
        document.Info.Title = InfoWord;
        document.Info.Author = InfoWord;
        var font = new XFont(EmbeddedFonts.Family, 14);
        foreach (var (rotate, words) in new[] { (0, UnderRegion), (90, UnderRegion), (0, WithheldWord), (0, BesideRegion) })
        {
            var page = document.AddPage();
            page.Size = PdfSharp.PageSize.Letter; // 612 x 792
            var mediaHeight = page.Height.Point;
            using (var gfx = XGraphics.FromPdfPage(page))
            {
                // Drawn on the unturned page; /Rotate is set afterwards. A point (dx, dy) of the page as
                // displayed turned 90 degrees clockwise is (dy, height - dx) on the unturned page.
                XRect Unturned(XRect r) => rotate == 90 ? new XRect(r.Y, mediaHeight - r.X - r.Width, r.Height, r.Width) : r;
                gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(Red.R, Red.G, Red.B)), Unturned(RedInk));
                gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(Blue.R, Blue.G, Blue.B)), Unturned(BlueInk));
                var under = Unturned(new XRect(80, 175, 280, 20));
                gfx.DrawString(words, font, XBrushes.Black, under, XStringFormats.TopLeft);
                var beside = Unturned(new XRect(80, 500, 300, 20));
                gfx.DrawString(BesideRegion, font, XBrushes.Black, beside, XStringFormats.TopLeft);
            }
            page.Annotations.Add(new PdfTextAnnotation { Title = AnnotationWord, Contents = AnnotationWord, Rectangle = new PdfRectangle(new XRect(300, 600, 20, 20)) });
            if (rotate != 0)
            {
                page.Elements.SetInteger("/Rotate", rotate);
            }
        }
        document.AddEmbeddedFile("notes.txt", new MemoryStream(System.Text.Encoding.ASCII.GetBytes("embedded " + EmbeddedWord)));
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private static PageRegion On(int page, XRect r) => new(page, r.X, r.Y, r.Width, r.Height);

    private static (PacketResult Result, byte[] Pdf) Build(byte[] source, IReadOnlySet<int>? withheld, IReadOnlyList<PageRegion>? regions)
    {
        var request = PacketFixture.Request(
            [new AttachmentItem("scan", Category.Correspondence, null, "Letter from the school", null, () => new MemoryStream(source), AttachmentMode.Include, withheld, regions)],
            Disclose,
            null
        );
        using var output = new MemoryStream();
        var result = new PacketBuilder().Build(request, output, cancellationToken: TestContext.Current.CancellationToken);
        return (result, output.ToArray());
    }

    private static int Inset(XRect r, PagePixels page, Func<PagePixels, int, int, int, int, int> count, int by = 2) =>
        count(page, (int)r.X + by, (int)r.Y + by, (int)r.Width - 2 * by, (int)r.Height - 2 * by);

    [Fact]
    public void Source_HasTheInkWhereTheTestsLook()
    {
        // The checks below are only worth something if the source's ink is where they look, on both orientations.
        var pages = PagePixels.Render(Source());
        Assert.Equal(4, pages.Count);
        Assert.Equal((612, 792), (pages[0].Width, pages[0].Height));
        Assert.Equal((792, 612), (pages[1].Width, pages[1].Height));
        foreach (var page in pages)
        {
            var redArea = (int)((RedInk.Width - 4) * (RedInk.Height - 4));
            Assert.True(Inset(RedInk, page, (p, x, y, w, h) => p.Near(x, y, w, h, Red)) > redArea * 0.95, "no red ink where the test expects it");
            Assert.True(Inset(BlueInk, page, (p, x, y, w, h) => p.Near(x, y, w, h, Blue)) > (BlueInk.Width - 4) * (BlueInk.Height - 4) * 0.95, "no blue ink where the test expects it");
        }
    }

    [Fact]
    public void BlackedOutRegions_AreSolidBlack_TheRestOfThePageStaysInPlace_EvenTurned()
    {
        var source = Source();
        var (result, pdf) = Build(source, null, [On(1, Region), On(2, Region)]);
        var pages = PagePixels.Render(pdf);
        Assert.Equal(result.PageCount, pages.Count);
        var cover = result.Manifest.CoverPages;
        foreach (var n in new[] { 1, 2 })
        {
            var page = pages[cover + n - 1];
            Assert.Equal(n == 2 ? (792, 612) : (612, 792), (page.Width, page.Height));
            // inside the region: black (a 2-pixel border is left to antialiasing)
            Assert.Equal(0, Inset(Region, page, (p, x, y, w, h) => p.NotBlack(x, y, w, h)));
            // what was under it is nowhere on the page
            Assert.Equal(0, page.Near(Red));
            // beside it the ink is where it was: the region was drawn where the clinician drew it
            Assert.True(Inset(BlueInk, page, (p, x, y, w, h) => p.Near(x, y, w, h, Blue)) > (BlueInk.Width - 4) * (BlueInk.Height - 4) * 0.95, $"page {n}: the blue ink moved");
            // and a band just outside the region is still white: the region is not larger or shifted
            var band = page.In((int)Region.X - 8, (int)Region.Bottom + 4, (int)Region.Width + 16, 4).Concat(page.In((int)Region.Right + 4, (int)Region.Y - 8, 4, (int)Region.Height + 16)).ToList();
            Assert.True(band.Count(p => p.Rgb.R > 200 && p.Rgb.G > 200 && p.Rgb.B > 200) > band.Count * 0.95, $"page {n}: the black spills outside the region");
        }
        // the kept pages are as they were
        Assert.True(pages[cover + 3].Near(Red) > 5000);

        // no word under the region (or on the page: it is an image), no annotation, metadata or embedded file
        var hits = LeakScan.Find(pdf, [UnderRegion, AnnotationWord, EmbeddedWord, InfoWord]);
        Assert.True(hits.Count == 0, "leaked: " + string.Join("; ", hits.Select(h => $"{h.Marker} in {h.Where}")));
        Assert.DoesNotContain(BesideRegion, string.Join(' ', UglyToad.PdfPig.PdfDocument.Open(pdf).GetPage(cover + 1).GetWords().Select(w => w.Text)), StringComparison.Ordinal);
        Assert.Equal([1, 2], result.Manifest.Items.Single().BlackedOutPages);
        Assert.Equal(2, result.Manifest.Items.Single().Redactions);
    }

    [Fact]
    public void WithheldPage_HoldsNoneOfTheOriginalsInk_AndKeepsItsBatesNumber()
    {
        var (result, pdf) = Build(Source(), new HashSet<int> { 3 }, null);
        var pages = PagePixels.Render(pdf);
        var cover = result.Manifest.CoverPages;
        var withheld = pages[cover + 2];
        Assert.Equal(0, withheld.Near(Red));
        Assert.Equal(0, withheld.Near(Blue));
        // where the source page has ink, the placeholder is blank paper
        Assert.Equal((int)(RedInk.Width * RedInk.Height), withheld.Near((int)RedInk.X, (int)RedInk.Y, (int)RedInk.Width, (int)RedInk.Height, White, 10));
        // the pages around it are the originals
        Assert.True(pages[cover + 1].Near(Red) > 5000 && pages[cover + 3].Near(Red) > 5000);

        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        var text = string.Join(' ', document.GetPage(cover + 3).GetWords().Select(w => w.Text));
        Assert.Contains("Page withheld", text, StringComparison.Ordinal);
        Assert.Contains("Page 3 of 4", text, StringComparison.Ordinal);
        Assert.Contains(result.Manifest.Items.Single().BatesFirst[..4] + $"{cover + 3:000000}", text, StringComparison.Ordinal);
        Assert.Equal(4, result.Manifest.Items.Single().Pages);
        Assert.Equal([3], result.Manifest.Items.Single().WithheldPages);
        var hits = LeakScan.Find(pdf, [WithheldWord]);
        Assert.True(hits.Count == 0, "leaked: " + string.Join("; ", hits.Select(h => $"{h.Marker} in {h.Where}")));
        // the old image-only mode is gone, and nothing calls a page image a redaction
        Assert.DoesNotContain("redact-pages", System.Text.Encoding.UTF8.GetString(result.Manifest.ToJson()), StringComparison.Ordinal);
        Assert.Contains("pages withheld: 3", result.Manifest.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void BadRegions_AndLowResolution_Refused_NamingTheItem()
    {
        var source = Source();
        Assert.Contains("'scan'", Assert.Throws<ArgumentException>(() => Build(source, null, [new PageRegion(1, 500, 700, 200, 200)])).Message, StringComparison.Ordinal); // beyond the page
        Assert.Contains("'scan'", Assert.Throws<ArgumentException>(() => Build(source, null, [new PageRegion(1, 10, 10, 0, 20)])).Message, StringComparison.Ordinal); // no size
        Assert.Contains("'scan'", Assert.Throws<ArgumentException>(() => Build(source, null, [new PageRegion(9, 10, 10, 20, 20)])).Message, StringComparison.Ordinal); // no such page
        Assert.Contains("'scan'", Assert.Throws<ArgumentException>(() => Build(source, new HashSet<int> { 1 }, [new PageRegion(1, 10, 10, 20, 20)])).Message, StringComparison.Ordinal); // withheld and blacked out
        var request = PacketFixture.Request(
            [new AttachmentItem("scan", Category.Correspondence, null, "Letter", null, () => new MemoryStream(source), AttachmentMode.Include, null, [On(1, Region)])],
            Disclose,
            null
        );
        var low = Assert.Throws<ArgumentException>(() => new PacketBuilder(new PacketOptions { RasterDpi = 96 }).Build(request, Stream.Null, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("150 dpi", low.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PagePreviews_SizesAsDisplayed_AndPngPreviewOfOnePage()
    {
        var pages = new PagePreviews();
        var source = Source();
        Assert.Equal([new PageSize(612, 792), new PageSize(792, 612), new PageSize(612, 792), new PageSize(612, 792)], pages.Sizes(source, TestContext.Current.CancellationToken));
        var png = pages.PreviewPng(source, 2, TestContext.Current.CancellationToken);
        Assert.True(png.AsSpan().StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
        // IHDR: width and height, big-endian, at bytes 16 and 20 (72 dpi: a pixel a point, as displayed)
        Assert.Equal(792, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(612, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Throws<InvalidDataException>(() => pages.Sizes("%PDF-1.4 not a pdf"u8.ToArray(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void PagePreview_OfAPageThatNeedsGigabytes_FailsWithinItsMemoryLimit_InsteadOfTakingTheMemory()
    {
        // One blank 200-inch page: 14,400 x 14,400 pixels at 72 dpi, about 800 MB for poppler to render.
        var huge = System.Text.Encoding.ASCII.GetBytes(
            "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                + "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 14400 14400]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
        );
        var pages = new PagePreviews(new PacketOptions { RasterMemoryMegabytes = 128 });
        Assert.Equal([new PageSize(14400, 14400)], pages.Sizes(huge, TestContext.Current.CancellationToken)); // pdfinfo needs little

        var failure = Assert.Throws<IOException>(() => pages.PreviewPng(huge, 1, TestContext.Current.CancellationToken));
        Assert.Contains("pdftoppm failed", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did not finish", failure.Message, StringComparison.Ordinal);
    }
}
