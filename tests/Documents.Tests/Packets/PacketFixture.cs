using Confide.Core.Disclosure;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Documents.Packets;
using Confide.Documents.Pdf;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Annotations;

namespace Confide.Documents.Tests.Packets;

/// <summary>
/// One packet built from record items with unique marker strings: in-scope text that must appear,
/// and out-of-scope items, redacted spans, a withheld page, a blacked-out region, an excluded PDF and an uploaded PDF's
/// metadata, annotation, embedded file and private page key that must not.
/// </summary>
public sealed class PacketFixture : IDisposable
{
    public const string ClientName = "Jordan Quillfeather";

    // Must appear.
    public const string InScopeText = "InScopeAlphaWord";
    public const string SecondNoteText = "SecondNoteDeltaWord";
    public const string AttachmentText = "AttachedBravoWord";
    public const string KeptPageText = "KeptPageCharlieWord";

    // Must never appear anywhere in the packet.
    public const string RedactedSpan = "ZqxRedactedSpanMarker71";
    public const string RedactedSpan2 = "ZqxSecondSpanMarker38";
    public const string PsychotherapyNote = "ZqxPsychNoteMarker52";
    public const string OutOfRange = "ZqxOutOfRangeMarker19";
    public const string SudNote = "ZqxSudNoteMarker64";
    public const string RedactedPage = "ZqxRedactedPageMarker27"; // on a withheld page
    public const string BlackedOut = "ZqxBlackedOutMarker58"; // under a blacked-out region
    public const string ExcludedPdf = "ZqxExcludedPdfMarker45";
    public const string AttachmentInfo = "ZqxAttachInfoMarker83";
    public const string AnnotationText = "ZqxAnnotationMarker16";
    public const string EmbeddedFileText = "ZqxEmbeddedFileMarker90";
    public const string PageKeyText = "ZqxPageKeyMarker33";

    public static readonly string[] Forbidden =
    [
        RedactedSpan, RedactedSpan2, PsychotherapyNote, OutOfRange, SudNote, RedactedPage, BlackedOut, ExcludedPdf, AttachmentInfo, AnnotationText, EmbeddedFileText, PageKeyText,
    ];

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("confide-packet-test-").FullName;
    public byte[] Bytes { get; }
    public PacketResult Result { get; }
    public PacketPaths Paths { get; }
    public byte[] WholeAttachment { get; }
    public List<PacketProgress> Progress { get; } = [];
    public IReadOnlyList<string> ScopedIds { get; }

    public PacketFixture()
    {
        WholeAttachment = Pdf(
            [$"Discharge summary page one {AttachmentText} first", $"Discharge summary page two {AttachmentText} second"],
            info: AttachmentInfo,
            annotation: AnnotationText,
            embedded: EmbeddedFileText,
            pageKey: PageKeyText
        );
        var redactable = Pdf([$"Letter page one {KeptPageText}", $"Letter page two names {RedactedPage} a third party", $"Letter page three {KeptPageText}", $"Page four {BlackedOut}"]);
        var excluded = Pdf([$"Unrelated report {ExcludedPdf}"], info: ExcludedPdf);

        var note1 = $"Session focused on sleep and work stress. {InScopeText} reported progress.\nHer sister {RedactedSpan} called about the family.\n\nPlan: continue weekly.";
        var note2 = $"Line one of the second note {SecondNoteText}.\r\nMentioned {RedactedSpan2} and coworker.\n";
        var all = new List<PacketItem>
        {
            Typed("note-1", Category.ProgressNotes, new DateOnly(2026, 2, 10), "Progress note, 10 February", note1, Span(note1, RedactedSpan)),
            Typed("pn-1", Category.PsychotherapyNotes, new DateOnly(2026, 2, 10), "Process note", $"Private process notes {PsychotherapyNote}."),
            Typed("note-old", Category.ProgressNotes, new DateOnly(2025, 6, 1), "Progress note, June 2025", $"Before the authorization's period {OutOfRange}."),
            Typed("sud-1", Category.SudRecords, new DateOnly(2026, 3, 1), "SUD assessment", $"Substance use assessment {SudNote}."),
            Typed(
                "note-2",
                Category.ProgressNotes,
                new DateOnly(2026, 3, 3),
                "Progress note, 3 March",
                note2,
                // two overlapping spans over the marker (merged: one redaction), one empty span (ignored)
                new TextSpan(note2.IndexOf(RedactedSpan2, StringComparison.Ordinal), 10),
                new TextSpan(note2.IndexOf(RedactedSpan2, StringComparison.Ordinal) + 5, RedactedSpan2.Length - 5),
                new TextSpan(0, 0)
            ),
            new AttachmentItem("pdf-whole", Category.Correspondence, new DateOnly(2026, 3, 10), "Hospital discharge summary", null, () => new MemoryStream(WholeAttachment), AttachmentMode.Include),
            new AttachmentItem("pdf-redact", Category.Correspondence, new DateOnly(2026, 3, 12), "Letter from the school", "School counselor", () => new MemoryStream(redactable), AttachmentMode.Include, new HashSet<int> { 2 }, [BlackedOutRegion]),
            new AttachmentItem("pdf-excluded", Category.Correspondence, new DateOnly(2026, 3, 14), "Unrelated report", null, () => throw new InvalidOperationException("an excluded PDF must never be opened"), AttachmentMode.Exclude),
        };

        // The scope function proposes; the clinician's review keeps the excluded PDF out.
        var disclose = CategorySet.Of(Category.ProgressNotes, Category.Correspondence);
        var range = new DateRange(new DateOnly(2026, 1, 1), new DateOnly(2026, 6, 30));
        ScopedIds = PacketScope.Select(disclose, range, all.Select(i => new RecordItemRef(i.Id, i.Category, i.Date)));
        var items = all.Where(i => ScopedIds.Contains(i.Id)).ToList();

        var request = Request(items, disclose, range);
        var progress = new SyncProgress<PacketProgress>(Progress.Add);
        (Result, Paths) = PacketFiles.Write(new PacketBuilder(), request, Path.Combine(Directory, "packet.pdf"), progress, TestContext.Current.CancellationToken);
        Bytes = File.ReadAllBytes(Paths.Pdf);
    }

    /// <summary>Over the text <see cref="Pdf"/> draws at (72, 144) on page 4 of the school's letter.</summary>
    public static readonly PageRegion BlackedOutRegion = new(4, 60, 125, 480, 30);

    public static PacketRequest Request(IReadOnlyList<PacketItem> items, CategorySet disclose, DateRange? range) =>
        new()
        {
            Practice = "Harbor Counseling",
            DisclosedBy = "Dr. Ada Byrne, PsyD",
            Recipient = "Claims Review Unit\nNorthwind Insurance",
            Basis = Outcome.DiscloseWithAuthorization,
            BasisText = "the client's authorization signed 2026-01-05",
            Disclose = disclose,
            Range = range,
            ClientName = ClientName,
            DisclosedOn = new DateOnly(2026, 11, 29),
            Items = items,
        };

    public static TypedItem Typed(string id, Category category, DateOnly date, string title, string content, params TextSpan[] redactions) =>
        new(id, category, date, title, "Dr. Ada Byrne", content, redactions);

    public static TextSpan Span(string content, string marker) => new(content.IndexOf(marker, StringComparison.Ordinal), marker.Length);

    /// <summary>A PDF made with PDFsharp: one page per text, optionally with things a packet must not carry along.</summary>
    public static byte[] Pdf(IReadOnlyList<string> pages, string? info = null, string? annotation = null, string? embedded = null, string? pageKey = null)
    {
        EmbeddedFonts.Install();
        using var document = new PdfDocument();
        if (info is not null)
        {
            document.Info.Title = info;
            document.Info.Author = info;
            document.Info.Subject = info;
        }
        var font = new XFont(EmbeddedFonts.Family, 12);
        foreach (var text in pages)
        {
            var page = document.AddPage();
            using (var gfx = XGraphics.FromPdfPage(page))
            {
                gfx.DrawString(text, font, XBrushes.Black, new XPoint(72, 144));
            }
            if (annotation is not null)
            {
                page.Annotations.Add(new PdfTextAnnotation { Title = annotation, Contents = annotation, Rectangle = new PdfRectangle(new XRect(72, 300, 20, 20)) });
            }
            if (pageKey is not null)
            {
                page.Elements.SetString("/ConfidePrivate", pageKey);
            }
        }
        if (embedded is not null)
        {
            document.AddEmbeddedFile("private.txt", new MemoryStream(System.Text.Encoding.ASCII.GetBytes("attached file " + embedded)));
        }
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a temp directory: best effort
        }
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, in order.</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
