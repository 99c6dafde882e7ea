using System.Net;
using System.Text.Json;
using Confide.Core.Requests;
using Confide.Data.Audit;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using PdfSharp.Drawing;
using PdfSharp.Pdf.IO;

namespace Confide.Web.Tests;

/// <summary>
/// The packet page's per-page choices for an attached PDF: keep, withhold, black out regions (typed
/// here as the no-script fallback; drawn with the mouse in tests/Browser.Tests), the preview each
/// region is drawn on (guarded and audited like the page), errors named by field, and the built
/// packet looked at as pixels.
/// </summary>
public abstract partial class DisclosureTests<TApp>
{
    private static readonly (byte R, byte G, byte B) InkRed = (220, 30, 30);
    private static readonly (byte R, byte G, byte B) InkBlue = (30, 30, 220);

    /// <summary>Letter pages, one per word (as <see cref="Pdf"/> makes them), each with a red block at (80, 100, 160, 60) and a blue one at (400, 300, 120, 80) drawn over it.</summary>
    private static byte[] InkPdf(params string[] words)
    {
        using var document = PdfReader.Open(new MemoryStream(Pdf(words)), PdfDocumentOpenMode.Modify);
        foreach (var page in document.Pages)
        {
            using var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(InkRed.R, InkRed.G, InkRed.B)), 80, 100, 160, 60);
            gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(InkBlue.R, InkBlue.G, InkBlue.B)), 400, 300, 120, 80);
        }
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    [Fact]
    public async Task Packet_PerPageChoices_WithheldAndBlackedOut_AreGoneInThePixels_BadInputNamedByField()
    {
        var june = new DateOnly(2026, 5, 1);
        var (clientId, items) = await SeedClientAsync(
            "Pages Client (fictional)",
            (Category.Billing, june, "Scanned statements PAGESPARENT1.", InkPdf("PAGEBLACKOUT2", "PAGEWITHHELD3", "PAGEKEPT4"))
        );
        var attachment = items[0].AttachmentId!.Value;
        var key = attachment.ToString("N");
        using var sam = await app.SignedInAsync(Sam);
        var samId = await app.UserIdAsync(Sam);
        var requestId = await RecordRequestAsync(sam, clientId, CourtOrder(samId));
        var page = $"/Requests/{requestId}/Packet";
        Assert.Equal(page, await ReauthenticateAsync(sam, Sam, page));

        // the page: a choice, a preview and a regions field for each of the three pages; its policy allows its own script only
        var response = await sam.GetAsync(page);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        foreach (var n in new[] { 1, 2, 3 })
        {
            Assert.Contains($"name=\"page-{key}-{n}\" value=\"withhold\"", html, StringComparison.Ordinal);
            Assert.Contains($"name=\"regions-{key}-{n}\"", html, StringComparison.Ordinal);
            Assert.Contains($"handler=Preview&attachmentId={attachment}&pageNumber={n}", html, StringComparison.Ordinal);
        }
        Assert.Contains("data-width=\"612\" data-height=\"792\"", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/packet-regions.js\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(SecurityHeaders.PolicyWithOwnScripts, policy);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        var other = await sam.GetAsync($"/Requests/{requestId}");
        Assert.DoesNotContain("script-src", string.Join(' ', other.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        var script = await sam.GetAsync("/packet-regions.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("pointerdown", await script.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // the preview: a PNG of the page, a pixel a point, and a view of the attachment in the audit log
        var preview = await sam.GetAsync($"{page}?handler=Preview&attachmentId={attachment}&pageNumber=2");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("image/png", preview.Content.Headers.ContentType?.MediaType);
        var png = await preview.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(612, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync($"{page}?handler=Preview&attachmentId={attachment}&pageNumber=4")).StatusCode);
        await using (var db = app.NewDbContext())
        {
            var views = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.AttachmentView && e.TargetId == key).ToListAsync(Ct);
            var view = Assert.Single(views);
            Assert.Contains("page=2", view.Detail, StringComparison.Ordinal);
            Assert.Contains("packet-preview", view.Detail, StringComparison.Ordinal);
        }

        // bad choices: each error names its field, nothing is queued
        async Task BadAsync(string field, string message, params (string Name, string Value)[] fields)
        {
            var bad = await sam.SubmitAsync(page, page + "?handler=Build", [("include", items[0].Id.ToString()), ($"mode-{key}", "include"), .. fields]);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var text = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync(Ct));
            Assert.Contains($"data-field=\"{field}\">", text, StringComparison.Ordinal);
            Assert.Contains(message, text, StringComparison.Ordinal);
        }
        await BadAsync($"page-{key}-5", "there is no page 5; the PDF has 3 pages", ($"page-{key}-5", "withhold"));
        await BadAsync($"regions-{key}-1", "page 1, region on line 1: the region reaches outside the page (612 by 792 points)", ($"page-{key}-1", "blackout"), ($"regions-{key}-1", "500, 700, 200, 200"));
        await BadAsync($"regions-{key}-1", "page 1, region on line 2: the width and height must be more than 0", ($"page-{key}-1", "blackout"), ($"regions-{key}-1", "10, 10, 20, 20\n10, 10, 0, 20"));
        await BadAsync($"regions-{key}-1", "region on line 1: give four numbers", ($"page-{key}-1", "blackout"), ($"regions-{key}-1", "10, 10, 20"));
        await BadAsync($"regions-{key}-2", "draw or type at least one region to black out", ($"page-{key}-2", "blackout"));
        await BadAsync($"regions-{key}-3", "regions are given but the page is kept as it is", ($"regions-{key}-3", "10, 10, 20, 20"));
        await BadAsync($"page-{key}-1", "choose keep, withhold or black out regions", ($"page-{key}-1", "flatten"));
        await BadAsync($"mode-{key}", "choose to put it in or to leave it out", ($"mode-{key}", "redact-pages"));
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(0, await db.Packets.CountAsync(p => p.RequestId == requestId, Ct));
        }

        // page 1: a region over the red block and the word under it; page 2 withheld; page 3 kept
        var (packetId, _) = await BuildAsync(
            sam,
            requestId,
            ("include", items[0].Id.ToString()),
            ($"mode-{key}", "include"),
            ($"page-{key}-1", "blackout"),
            ($"regions-{key}-1", "70, 90, 300, 110"),
            ($"page-{key}-2", "withhold"),
            ($"page-{key}-3", "keep")
        );
        var pdf = await DownloadAsync(sam, requestId, packetId, "pdf");
        using var manifest = JsonDocument.Parse(await DownloadAsync(sam, requestId, packetId, "manifest"));
        var entry = manifest.RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == key);
        Assert.Equal([2], entry.GetProperty("withheldPages").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([1], entry.GetProperty("blackedOutPages").EnumerateArray().Select(e => e.GetInt32()));
        var first = int.Parse(entry.GetProperty("batesFirst").GetString()![4..], System.Globalization.CultureInfo.InvariantCulture);

        var pages = PagePixels.Render(pdf);
        var blackedOut = pages[first - 1];
        Assert.Equal(0, blackedOut.NotBlack(72, 92, 296, 106)); // the region, less a 2-pixel antialiasing border
        Assert.Equal(0, blackedOut.Near(InkRed));
        Assert.True(blackedOut.Near(402, 302, 116, 76, InkBlue) > 116 * 76 * 0.95, "the ink beside the region moved");
        var withheld = pages[first];
        Assert.Equal(0, withheld.Near(InkRed) + withheld.Near(InkBlue));
        Assert.True(pages[first + 1].Near(InkRed) > 5000, "the kept page lost its ink");
        Assert.Empty(LeakScan.Find(pdf, ["PAGEBLACKOUT2", "PAGEWITHHELD3"]));
        Assert.Contains("PAGEKEPT4", LeakScan.ExtractedText(pdf), StringComparison.Ordinal);
        Assert.Contains("Page withheld", LeakScan.ExtractedText(pdf), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PacketPreview_RefusedWithoutAccess_ForgedOrOtherAttachments_NothingAudited()
    {
        var may = new DateOnly(2026, 5, 1);
        var (clientId, items) = await SeedClientAsync(
            "Preview Client (fictional)",
            (Category.Billing, may, "Statement PREVIEWPARENT1.", InkPdf("PREVIEWPAGE2")),
            (Category.ProgressNotes, may.AddDays(1), "Note out of scope.", InkPdf("PREVIEWOUTOFSCOPE3"))
        );
        var (_, otherItems) = await SeedClientAsync("Other Preview Client (fictional)", (Category.Billing, may, "Another statement.", InkPdf("PREVIEWOTHER4")));
        using var sam = await app.SignedInAsync(Sam);
        var requestId = await RecordRequestAsync(sam, clientId, CourtOrder(await app.UserIdAsync(Sam)));
        var page = $"/Requests/{requestId}/Packet";
        string Preview(Guid attachment) => $"{page}?handler=Preview&attachmentId={attachment}&pageNumber=1";

        // before re-authenticating: refused
        Assert.Equal(Reauthentication.PageFor(page), Browser.Location(await sam.GetAsync(Preview(items[0].AttachmentId!.Value))));
        Assert.Equal(page, await ReauthenticateAsync(sam, Sam, page));
        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync(Preview(items[0].AttachmentId!.Value))).StatusCode); // the control
        // a made-up id, the same client's attachment that is out of the determination's scope, another client's attachment
        foreach (var forged in new[] { Guid.NewGuid(), items[1].AttachmentId!.Value, otherItems[0].AttachmentId!.Value })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync(Preview(forged))).StatusCode);
        }

        // a clinician the client is not assigned to: the request itself is unknown to them
        using var priya = await app.SignedInAsync(DemoSeeder.Accounts[2]);
        Assert.Equal(page, await ReauthenticateAsync(priya, DemoSeeder.Accounts[2], page));
        Assert.Equal(HttpStatusCode.NotFound, (await priya.GetAsync(Preview(items[0].AttachmentId!.Value))).StatusCode);

        await using var db = app.NewDbContext();
        var views = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.AttachmentView).Select(e => e.TargetId).ToListAsync(Ct);
        Assert.Single(views, v => v == items[0].AttachmentId!.Value.ToString("N"));
        Assert.DoesNotContain(items[1].AttachmentId!.Value.ToString("N"), views);
        Assert.DoesNotContain(otherItems[0].AttachmentId!.Value.ToString("N"), views);
        Assert.DoesNotContain(await db.AuditEntries.AsNoTracking().Where(e => e.ClientId == clientId).Select(e => e.Detail ?? "").ToListAsync(Ct), d => d.Contains("PREVIEW", StringComparison.Ordinal));
    }
}
