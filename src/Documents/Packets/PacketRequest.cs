using Confide.Core.Disclosure;
using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Documents.Packets;

/// <summary>
/// Everything a disclosure packet is built from: who discloses what to whom, on what basis, and the
/// record items the clinician kept after review (see <see cref="PacketScope"/> for the proposal).
/// </summary>
public sealed record PacketRequest
{
    /// <summary>The practice disclosing, as printed on the cover sheet.</summary>
    public required string Practice { get; init; }

    /// <summary>The clinician or staff member disclosing (the accounting's "who").</summary>
    public required string DisclosedBy { get; init; }

    /// <summary>The recipient, as printed on the cover sheet (name, organization, address).</summary>
    public required string Recipient { get; init; }

    /// <summary>The determination's outcome: one that discloses (<see cref="Outcomes.Discloses"/>).</summary>
    public required Outcome Basis { get; init; }

    /// <summary>The instrument in words, e.g. "Order of the Superior Court, case 24-123, dated 2026-11-02".</summary>
    public required string BasisText { get; init; }

    /// <summary>The categories the determination discloses; every included item must be one of them.</summary>
    public required CategorySet Disclose { get; init; }

    /// <summary>The dates the release or order covers, when it gives them; every included item must be dated inside.</summary>
    public DateRange? Range { get; init; }

    /// <summary>Optional words on the scope, printed on the cover sheet (e.g. the order's own description).</summary>
    public string? ScopeText { get; init; }

    /// <summary>The client's name: printed on the cover sheet only, never in the file's metadata.</summary>
    public string? ClientName { get; init; }

    /// <summary>The date of the disclosure (the caller's clock).</summary>
    public required DateOnly DisclosedOn { get; init; }

    /// <summary>The items, in packet order.</summary>
    public required IReadOnlyList<PacketItem> Items { get; init; }
}

/// <summary>One record item of a packet.</summary>
/// <param name="Id">The item's identifier (unique in the request).</param>
/// <param name="Category">Its record category.</param>
/// <param name="Date">The date it is about, if any.</param>
/// <param name="Title">Its title, printed at its start and on the cover sheet.</param>
/// <param name="Author">Who wrote it, if known.</param>
public abstract record PacketItem(string Id, Category Category, DateOnly? Date, string Title, string? Author);

/// <summary>A span of typed content to remove: <paramref name="Length"/> UTF-16 chars from <paramref name="Start"/>.</summary>
public readonly record struct TextSpan(int Start, int Length);

/// <summary>
/// Typed record content (a note, a letter). Each redaction span's characters are removed before
/// rendering and replaced by a visible "[redacted]"; overlapping or touching spans count as one.
/// </summary>
public sealed record TypedItem(
    string Id,
    Category Category,
    DateOnly? Date,
    string Title,
    string? Author,
    string Content,
    IReadOnlyList<TextSpan> Redactions
) : PacketItem(Id, Category, Date, Title, Author);

/// <summary>How an uploaded PDF goes into the packet.</summary>
public enum AttachmentMode
{
    /// <summary>
    /// Its pages go in, each as the clinician chose: kept as uploaded (annotations, form fields and
    /// document-level data dropped), withheld (<see cref="AttachmentItem.WithheldPages"/>: a
    /// placeholder page stands in its place), or blacked out (<see cref="AttachmentItem.Regions"/>:
    /// the page is burned into an image with the regions black).
    /// </summary>
    Include,

    /// <summary>Not in the packet at all (the file is never opened).</summary>
    Exclude,
}

/// <summary>An uploaded PDF.</summary>
/// <param name="Id">The item's identifier (unique in the request).</param>
/// <param name="Category">Its record category.</param>
/// <param name="Date">The date it is about, if any.</param>
/// <param name="Title">Its title, printed on the cover sheet.</param>
/// <param name="Author">Who wrote it, if known.</param>
/// <param name="Open">Opens the PDF for reading; called at most once, the stream is disposed by the builder.</param>
/// <param name="Mode">Included (page by page as chosen) or excluded.</param>
/// <param name="WithheldPages">The 1-based pages withheld: each is replaced by a "page withheld" placeholder that keeps
/// its Bates number and carries nothing of the original page.</param>
/// <param name="Regions">Areas to black out: every page with a region is rendered to an image with the regions black
/// before it is rendered, so what was under them is gone, not covered, and nothing else of the original page
/// (text layer, annotations, metadata, hidden layers) remains.</param>
public sealed record AttachmentItem(
    string Id,
    Category Category,
    DateOnly? Date,
    string Title,
    string? Author,
    Func<Stream> Open,
    AttachmentMode Mode,
    IReadOnlySet<int>? WithheldPages = null,
    IReadOnlyList<PageRegion>? Regions = null
) : PacketItem(Id, Category, Date, Title, Author);

/// <summary>
/// An area of one page of an uploaded PDF, in points from the top-left corner of the page as it is
/// displayed (after any /Rotate); 72 points to the inch.
/// </summary>
/// <param name="Page">The 1-based page; it must not be a withheld one.</param>
/// <param name="X">From the left edge.</param>
/// <param name="Y">From the top edge.</param>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
public readonly record struct PageRegion(int Page, double X, double Y, double Width, double Height);

/// <summary>The size of a page as displayed (after /Rotate), in points.</summary>
public readonly record struct PageSize(double Width, double Height);

/// <summary>Settings of the builder, independent of any one packet.</summary>
public sealed record PacketOptions
{
    /// <summary>The Bates prefix, e.g. "CONF" gives CONF000001.</summary>
    public string BatesPrefix { get; init; } = "CONF";

    /// <summary>The first Bates number (on the cover sheet).</summary>
    public int BatesStart { get; init; } = 1;

    /// <summary>Digits of the zero-padded sequence.</summary>
    public int BatesDigits { get; init; } = 6;

    /// <summary>The running header on every page.</summary>
    public string Header { get; init; } = "CONFIDENTIAL";

    /// <summary>Paper of the cover sheet and typed items (merged PDFs keep their own page sizes).</summary>
    public PaperSize Paper { get; init; } = PaperSize.Letter;

    /// <summary>poppler's <c>pdftoppm</c>: a path, or a name looked up on PATH. Needed for blacked-out pages and previews
    /// (poppler's <c>pdfinfo</c>, for page sizes, is looked up beside it).</summary>
    public string PdftoppmPath { get; init; } = "pdftoppm";

    /// <summary>Resolution of blacked-out pages' images: at least <see cref="MinRasterDpi"/> (a build refuses less).</summary>
    public int RasterDpi { get; init; } = 150;

    /// <summary>The lowest resolution a blacked-out page is burned in at.</summary>
    public const int MinRasterDpi = 150;

    /// <summary>Resolution of page previews (72: one pixel a point).</summary>
    public int PreviewDpi { get; init; } = 72;

    /// <summary>How long one pdftoppm run may take.</summary>
    public TimeSpan RasterTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The address space one poppler run may use (where <c>prlimit</c> exists), in MB.</summary>
    public int RasterMemoryMegabytes { get; init; } = 1024;

    /// <summary>Where scratch files go, if a caller needs any (null: none chosen); the builder writes none itself: pages go to poppler and back through pipes.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>The Bates number of a 0-based page index.</summary>
    public string Bates(int pageIndex) =>
        BatesPrefix + (BatesStart + pageIndex).ToString(new string('0', BatesDigits), System.Globalization.CultureInfo.InvariantCulture);
}
