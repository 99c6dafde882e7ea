using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confide.Core.Requests;
using Confide.Documents.Packets;
using UglyToad.PdfPig;

namespace Confide.Documents.Tests.Packets;

/// <summary>The disclosure packet read back: what must be in it, what must never be, and its chrome, manifest and progress.</summary>
public sealed partial class PacketTests(PacketFixture packet) : IClassFixture<PacketFixture>
{
    [Fact]
    public void Scope_ProposesOnlyDisclosedCategoriesInTheDateRange()
    {
        Assert.Equal(["note-1", "note-2", "pdf-whole", "pdf-redact", "pdf-excluded"], packet.ScopedIds);
    }

    [Fact]
    public void LeakScan_FindsMarkersInTheUploadedPdf_SoItCanSeeThem()
    {
        // The scanner is only worth something if it finds what the uploaded PDF does carry.
        var hits = LeakScan.Find(packet.WholeAttachment, [PacketFixture.AttachmentInfo, PacketFixture.AnnotationText, PacketFixture.EmbeddedFileText, PacketFixture.PageKeyText, PacketFixture.AttachmentText]);
        Assert.Contains(hits, h => h.Marker == PacketFixture.AttachmentInfo);
        Assert.Contains(hits, h => h.Marker == PacketFixture.AnnotationText);
        Assert.Contains(hits, h => h.Marker == PacketFixture.EmbeddedFileText && h.Where.Contains("inflated", StringComparison.Ordinal));
        Assert.Contains(hits, h => h.Marker == PacketFixture.PageKeyText);
        Assert.Contains(hits, h => h.Marker == PacketFixture.AttachmentText && h.Where == "extracted text");
    }

    [Fact]
    public void OutOfScopeAndRedactedText_AppearNowhereInTheFile()
    {
        var hits = LeakScan.Find(packet.Bytes, PacketFixture.Forbidden);
        Assert.True(hits.Count == 0, "leaked: " + string.Join("; ", hits.Select(h => $"{h.Marker} in {h.Where}")));
    }

    [Fact]
    public void ClientName_OnlyOnTheCoverSheet_NowhereElseInTheFile()
    {
        using var document = PdfDocument.Open(packet.Bytes);
        foreach (var page in document.GetPages())
        {
            var text = string.Join(' ', page.GetWords().Select(w => w.Text));
            Assert.Equal(page.Number == 1, text.Contains("Quillfeather", StringComparison.Ordinal));
        }
        var hits = LeakScan.Find(packet.Bytes, [PacketFixture.ClientName, "Quillfeather"]).Where(h => h.Where != "extracted text");
        Assert.Empty(hits);
    }

    [Fact]
    public void InScopeText_IsPresent_WithRedactionMarkers()
    {
        var text = ReadBack.Normalize(LeakScan.ExtractedText(packet.Bytes));
        Assert.Contains(PacketFixture.InScopeText, text, StringComparison.Ordinal);
        Assert.Contains(PacketFixture.SecondNoteText, text, StringComparison.Ordinal);
        Assert.Contains(PacketFixture.AttachmentText, text, StringComparison.Ordinal);
        Assert.Contains(PacketFixture.KeptPageText, text, StringComparison.Ordinal);
        Assert.Contains("Her sister [redacted] called about the family.", text, StringComparison.Ordinal);
        Assert.Contains("Mentioned [redacted] and coworker.", text, StringComparison.Ordinal);
        // the cover sheet: basis, scope, recipient, redisclosure notice, and the client's name there only
        Assert.Contains("Basis for this disclosure", text, StringComparison.Ordinal);
        Assert.Contains("Claims Review Unit, Northwind Insurance", text, StringComparison.Ordinal);
        Assert.Contains("from January 1, 2026 through June 30, 2026", text, StringComparison.Ordinal);
        Assert.Contains("Limits on redisclosure", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryPage_HasTheHeaderAndConsecutiveBatesNumbers_ImagePagesHaveThemInTheImage()
    {
        using var document = PdfDocument.Open(packet.Bytes);
        Assert.Equal(packet.Result.PageCount, document.NumberOfPages);
        var imagePages = PacketPages(i => i.BlackedOutPages);
        foreach (var page in document.GetPages())
        {
            var words = page.GetWords().ToList();
            if (imagePages.Contains(page.Number))
            {
                continue; // checked in BlackedOutPage_HasNoText_AndOneImage
            }
            var bottom = words.Where(w => w.BoundingBox.Top < 30).Select(w => w.Text).ToList();
            Assert.Equal([$"CONF{page.Number:000000}"], bottom.Where(w => Bates().IsMatch(w)));
            var top = words.Where(w => w.BoundingBox.Bottom > page.Height - 30).Select(w => w.Text).ToList();
            Assert.Equal(["CONFIDENTIAL"], top);
        }
        Assert.Equal("CONF000001", packet.Result.BatesFirst);
        Assert.Equal($"CONF{packet.Result.PageCount:000000}", packet.Result.BatesLast);
    }

    [Fact]
    public void BlackedOutPage_HasNoText_AndOneImage()
    {
        var pages = PacketPages(i => i.BlackedOutPages);
        using var document = PdfDocument.Open(packet.Bytes);
        var page = document.GetPage(Assert.Single(pages));
        Assert.Empty(page.GetWords());
        Assert.Empty(page.Letters);
        Assert.Single(page.GetImages());
    }

    [Fact]
    public void WithheldPage_IsAPlaceholder_KeepingItsPlace()
    {
        var pages = PacketPages(i => i.WithheldPages);
        using var document = PdfDocument.Open(packet.Bytes);
        var number = Assert.Single(pages);
        var page = document.GetPage(number);
        var text = string.Join(' ', page.GetWords().Select(w => w.Text));
        Assert.Contains("Page withheld", text, StringComparison.Ordinal);
        Assert.Contains("Page 2 of 4 of \"Letter from the school\"", text, StringComparison.Ordinal);
        Assert.Contains($"CONF{number:000000}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Letter page two", text, StringComparison.Ordinal);
        Assert.Empty(page.GetImages());
        // the pages around it kept their text
        Assert.Contains(PacketFixture.KeptPageText, string.Join(' ', document.GetPage(number - 1).GetWords().Select(w => w.Text)), StringComparison.Ordinal);
        Assert.Contains(PacketFixture.KeptPageText, string.Join(' ', document.GetPage(number + 1).GetWords().Select(w => w.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public void MergedAttachment_PagesPresentWithTheirText_WithoutAnnotations()
    {
        var item = packet.Result.Manifest.Items.Single(i => i.Id == "pdf-whole");
        Assert.Equal(2, item.Pages);
        using var document = PdfDocument.Open(packet.Bytes);
        var first = int.Parse(item.BatesFirst[4..], System.Globalization.CultureInfo.InvariantCulture);
        var one = string.Join(' ', document.GetPage(first).GetWords().Select(w => w.Text));
        var two = string.Join(' ', document.GetPage(first + 1).GetWords().Select(w => w.Text));
        Assert.Contains($"Discharge summary page one {PacketFixture.AttachmentText} first", one, StringComparison.Ordinal);
        Assert.Contains($"Discharge summary page two {PacketFixture.AttachmentText} second", two, StringComparison.Ordinal);
        Assert.All(document.GetPages(), p => Assert.Empty(p.GetAnnotations()));
    }

    [Fact]
    public void Metadata_NamesNoClient()
    {
        using var document = PdfDocument.Open(packet.Bytes);
        Assert.Equal(PacketBuilder.DocumentTitle, document.Information.Title);
        Assert.Null(document.Information.Author);
        Assert.Null(document.Information.Subject);
        foreach (var value in document.Information.DocumentInformationDictionary!.Data.Values)
        {
            Assert.DoesNotContain(PacketFixture.ClientName, value.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Quillfeather", value.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
        }
        // nothing document-level rides along from the uploaded PDFs
        var catalog = document.Structure.Catalog.CatalogDictionary;
        Assert.False(catalog.ContainsKey(UglyToad.PdfPig.Tokens.NameToken.Create("Names")));
        Assert.False(catalog.ContainsKey(UglyToad.PdfPig.Tokens.NameToken.Create("AcroForm")));
        Assert.False(catalog.ContainsKey(UglyToad.PdfPig.Tokens.NameToken.Create("OpenAction")));
    }

    [Fact]
    public void Manifest_Sha256IsTheFilesAndListsTheItems()
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(packet.Bytes));
        Assert.Equal(sha, packet.Result.Sha256);
        Assert.Equal(sha, packet.Result.Disclosure.Sha256);
        using var json = JsonDocument.Parse(File.ReadAllBytes(packet.Paths.ManifestJson));
        var root = json.RootElement;
        Assert.Equal(sha, root.GetProperty("sha256").GetString());
        Assert.Equal(packet.Result.PageCount, root.GetProperty("pages").GetInt32());
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["note-1", "note-2", "pdf-whole", "pdf-redact"], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal([1, 1, 0, 1], items.Select(i => i.GetProperty("redactions").GetInt32()));
        Assert.Equal(["typed", "typed", "pdf", "pdf"], items.Select(i => i.GetProperty("mode").GetString()));
        Assert.Equal([2], items[3].GetProperty("withheldPages").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([4], items[3].GetProperty("blackedOutPages").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Empty(items[2].GetProperty("withheldPages").EnumerateArray());
        Assert.Equal("progress-notes", items[0].GetProperty("category").GetString());
        Assert.Equal("2026-02-10", items[0].GetProperty("date").GetString());

        // item ranges are consecutive after the cover sheet and end on the last page
        var next = packet.Result.Manifest.CoverPages + 1;
        foreach (var item in packet.Result.Manifest.Items)
        {
            Assert.Equal($"CONF{next:000000}", item.BatesFirst);
            next += item.Pages;
            Assert.Equal($"CONF{next - 1:000000}", item.BatesLast);
        }
        Assert.Equal(packet.Result.PageCount + 1, next);

        var text = File.ReadAllText(packet.Paths.ManifestText);
        Assert.Contains(sha, text, StringComparison.Ordinal);
        Assert.Contains("Letter from the school", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unrelated report", text, StringComparison.Ordinal);
        Assert.DoesNotContain(PacketFixture.ClientName, text, StringComparison.Ordinal);
        var jsonText = File.ReadAllText(packet.Paths.ManifestJson);
        foreach (var marker in PacketFixture.Forbidden)
        {
            Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
            Assert.DoesNotContain(marker, jsonText, StringComparison.Ordinal);
        }
        Assert.Equal(3, Directory.GetFiles(packet.Directory).Length); // the packet, the two manifests; no temp file
    }

    [Fact]
    public void Disclosure_RecordsWhoWhomWhatBasisHash()
    {
        var d = packet.Result.Disclosure;
        Assert.Equal("Dr. Ada Byrne, PsyD", d.DisclosedBy);
        Assert.Equal("Claims Review Unit\nNorthwind Insurance", d.Recipient);
        Assert.Equal(Core.Triage.Outcome.DiscloseWithAuthorization, d.Basis);
        Assert.Equal(["note-1", "note-2", "pdf-whole", "pdf-redact"], d.ItemIds);
        Assert.Equal([Category.ProgressNotes, Category.Correspondence], d.Categories);
        Assert.Equal(new DateOnly(2026, 11, 29), d.DisclosedOn);
        Assert.Equal(packet.Result.PageCount, d.PageCount);
    }

    [Fact]
    public void Progress_RisesMonotonicallyTo100()
    {
        var percents = packet.Progress.Select(p => p.Percent).ToList();
        Assert.True(percents.Count >= 3, $"only {percents.Count} reports");
        Assert.Equal(0, percents[0]);
        for (var i = 1; i < percents.Count; i++)
        {
            Assert.True(percents[i] >= percents[i - 1], $"progress fell from {percents[i - 1]} to {percents[i]}");
        }
        Assert.Equal(100, percents[^1]);
        Assert.Single(percents, p => p == 100);
        Assert.Equal(packet.Result.PageCount, packet.Progress[^1].Pages);
    }

    /// <summary>The packet page numbers of pages of the school's letter the manifest lists.</summary>
    private HashSet<int> PacketPages(Func<ManifestItem, IReadOnlyList<int>> pages)
    {
        var item = packet.Result.Manifest.Items.Single(i => i.Id == "pdf-redact");
        var first = int.Parse(item.BatesFirst[4..], System.Globalization.CultureInfo.InvariantCulture);
        return [.. pages(item).Select(p => first + p - 1)];
    }

    [GeneratedRegex(@"^CONF\d{6}$")]
    private static partial Regex Bates();
}
