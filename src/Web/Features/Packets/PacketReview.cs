using System.Text.Json;
using Confide.Documents.Packets;

namespace Confide.Web.Features.Packets;

/// <summary>How one reviewed item goes into the packet.</summary>
/// <param name="Id">The record item's id (typed content) or the attachment's id (an uploaded PDF).</param>
/// <param name="IsAttachment">True for an uploaded PDF.</param>
/// <param name="Remove">Typed content: the passages to remove (every occurrence of each is cut out of the text).</param>
/// <param name="Mode">An uploaded PDF: <c>include</c> (page by page as chosen) or <c>exclude</c>. Reviews stored before
/// per-page choices say <c>whole</c> (included, every page kept) or <c>redact-pages</c> (see <paramref name="Pages"/>).</param>
/// <param name="Pages">Only in reviews stored before per-page choices, with <c>redact-pages</c>: pages that were to be
/// made images. They are withheld now (<see cref="WithheldPages"/>): an image of a page is not redaction, and withholding
/// discloses less than the clinician chose, never more.</param>
/// <param name="Withheld">An uploaded PDF: the 1-based pages withheld (a placeholder stands in for each).</param>
/// <param name="Regions">An uploaded PDF: the areas to black out (a page with any is burned into an image).</param>
public sealed record ReviewItem(
    Guid Id,
    bool IsAttachment,
    IReadOnlyList<string> Remove,
    string? Mode,
    IReadOnlyList<int> Pages,
    IReadOnlyList<int>? Withheld = null,
    IReadOnlyList<ReviewRegion>? Regions = null
)
{
    /// <summary>The builder's mode for an uploaded PDF.</summary>
    public AttachmentMode AttachmentMode() => Mode == "exclude" ? Documents.Packets.AttachmentMode.Exclude : Documents.Packets.AttachmentMode.Include;

    /// <summary>The pages withheld, with a stored review's old image-only pages among them.</summary>
    public IReadOnlySet<int> WithheldPages() => (Withheld ?? []).Concat(Mode == "redact-pages" ? Pages : []).ToHashSet();

    /// <summary>The areas to black out, as the builder takes them.</summary>
    public IReadOnlyList<PageRegion> PageRegions() => [.. (Regions ?? []).Select(r => new PageRegion(r.Page, r.X, r.Y, r.Width, r.Height))];
}

/// <summary>An area of a page to black out: points from the top-left corner of the page as displayed.</summary>
public sealed record ReviewRegion(int Page, double X, double Y, double Width, double Height);

/// <summary>
/// The clinician's review of a packet as submitted: the recipient and basis in words (from the
/// request) and the items kept. It holds client content (the passages removed), so it is stored
/// encrypted with the packet (field <c>review</c>).
/// </summary>
public sealed record PacketReview(string Recipient, string? RecipientAddress, string BasisText, string Practice, string DisclosedBy, IReadOnlyList<ReviewItem> Items)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static PacketReview Read(byte[] bytes) =>
        JsonSerializer.Deserialize<PacketReview>(bytes, Json) ?? throw new InvalidDataException("a stored packet review is empty");
}
