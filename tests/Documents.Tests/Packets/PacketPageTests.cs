using Confide.Core.Requests;
using Confide.Documents.Packets;
using Confide.Documents.Pdf;
using PdfSharp.Drawing;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Confide.Documents.Tests.Packets;

/// <summary>Uploaded PDFs that are not plain portrait pages, and ones that cannot be read.</summary>
public sealed class PacketPageTests
{
    private static readonly CategorySet Disclose = CategorySet.Of(Category.Correspondence);

    [Fact]
    public void RotatedPages_StampedUprightAsDisplayed()
    {
        EmbeddedFonts.Install();
        byte[] bytes;
        using (var source = new PdfSharp.Pdf.PdfDocument())
        {
            foreach (var rotate in new[] { 0, 90, 180, 270 })
            {
                var page = source.AddPage();
                page.Rotate = rotate;
                using var gfx = XGraphics.FromPdfPage(page);
                gfx.DrawString($"rotated {rotate}", new XFont(EmbeddedFonts.Family, 12), XBrushes.Black, new XPoint(72, 72));
            }
            using var stream = new MemoryStream();
            source.Save(stream, closeStream: false);
            bytes = stream.ToArray();
        }
        var request = PacketFixture.Request(
            [new AttachmentItem("scan", Category.Correspondence, null, "Scanned letter", null, () => new MemoryStream(bytes), AttachmentMode.Include)],
            Disclose,
            null
        );
        using var output = new MemoryStream();
        var result = new PacketBuilder().Build(request, output, cancellationToken: TestContext.Current.CancellationToken);

        using var document = PdfDocument.Open(output.ToArray());
        var cover = result.Manifest.CoverPages;
        // PdfPig reports positions and orientation as the page is displayed (after /Rotate): the
        // stamps must read left to right at the displayed top and bottom; the page's own text is turned.
        foreach (var (rotate, i) in new[] { (0, 0), (90, 1), (180, 2), (270, 3) })
        {
            var page = document.GetPage(cover + 1 + i);
            Assert.Equal(rotate, page.Rotation.Value);
            var words = page.GetWords().ToList();
            var bates = Assert.Single(words, w => w.Text == $"CONF{cover + 1 + i:000000}");
            var header = Assert.Single(words, w => w.Text == "CONFIDENTIAL");
            Assert.Equal(TextOrientation.Horizontal, bates.TextOrientation);
            Assert.Equal(TextOrientation.Horizontal, header.TextOrientation);
            Assert.True(header.BoundingBox.Bottom > page.Height - 30, $"rotate {rotate}: header at {header.BoundingBox}");
            Assert.True(bates.BoundingBox.Top < 30 && bates.BoundingBox.Left > page.Width / 2, $"rotate {rotate}: Bates at {bates.BoundingBox}");
            Assert.Equal(rotate != 0, words.Where(w => w.Text != bates.Text && w.Text != "CONFIDENTIAL").All(w => w.TextOrientation != TextOrientation.Horizontal));
        }
    }

    [Fact]
    public async Task BlackedOutPage_Regions_AreBlackInTheImage()
    {
        var source = PacketFixture.Pdf(["A line of third-party text under the region"]); // drawn at (72, 144) from the top-left
        var request = PacketFixture.Request(
            [
                new AttachmentItem(
                    "school",
                    Category.Correspondence,
                    null,
                    "Letter from the school",
                    null,
                    () => new MemoryStream(source),
                    AttachmentMode.Include,
                    null,
                    [new PageRegion(1, 60, 120, 300, 40)]
                ),
            ],
            Disclose,
            null
        );
        var dir = Directory.CreateTempSubdirectory("confide-packet-region-").FullName;
        try
        {
            var (result, paths) = PacketFiles.Write(new PacketBuilder(), request, Path.Combine(dir, "p.pdf"), cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(1, result.Manifest.Items.Single().Redactions);
            var pageNumber = result.Manifest.CoverPages + 1;
            using (var document = PdfDocument.Open(File.ReadAllBytes(paths.Pdf)))
            {
                Assert.Empty(document.GetPage(pageNumber).GetWords());
            }

            // The packet's page at 72 dpi (1 pixel a point), as a person sees it.
            var page = PagePixels.Render(await File.ReadAllBytesAsync(paths.Pdf, TestContext.Current.CancellationToken))[pageNumber - 1];
            double Mean(int x, int y, int w, int h) => page.In(x, y, w, h).Average(p => (p.Rgb.R + p.Rgb.G + p.Rgb.B) / 3.0);
            Assert.True(Mean(65, 125, 290, 30) < 20, "the region is not black");
            Assert.True(Mean(65, 200, 290, 100) > 235, "the page outside the region is not white");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void UnreadablePdf_ClearError_NamingTheItem()
    {
        var request = PacketFixture.Request(
            [new AttachmentItem("broken", Category.Correspondence, null, "Damaged upload", null, () => new MemoryStream("%PDF-1.4 this is not a PDF"u8.ToArray()), AttachmentMode.Include)],
            Disclose,
            null
        );
        var error = Assert.Throws<InvalidDataException>(() => new PacketBuilder().Build(request, Stream.Null, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("'broken'", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_StopsTheBuild_NoFile()
    {
        var dir = Directory.CreateTempSubdirectory("confide-packet-cancel-").FullName;
        try
        {
            using var cancel = new CancellationTokenSource();
            var items = Enumerable
                .Range(1, 20)
                .Select(i => (PacketItem)PacketFixture.Typed($"n{i}", Category.ProgressNotes, new DateOnly(2026, 1, i), $"Note {i}", string.Concat(Enumerable.Repeat("Some note text here. ", 300))))
                .ToList();
            var request = PacketFixture.Request(items, CategorySet.Of(Category.ProgressNotes), null);
            var progress = new SyncProgress<PacketProgress>(p =>
            {
                if (p.Pages > 5)
                {
                    cancel.Cancel();
                }
            });
            Assert.ThrowsAny<OperationCanceledException>(() => PacketFiles.Write(new PacketBuilder(), request, Path.Combine(dir, "p.pdf"), progress, cancel.Token));
            Assert.Empty(Directory.GetFileSystemEntries(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
